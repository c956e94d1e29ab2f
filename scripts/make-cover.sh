#!/usr/bin/env bash
# Regenerates the default cover (1400x1400 PNG) shipped in src/suaraberita/data/cover.png.
set -euo pipefail
ffmpeg=$(python -c "import imageio_ffmpeg; print(imageio_ffmpeg.get_ffmpeg_exe())")
bars="lt(abs(Y-H/2),(0.25+0.75*abs(sin(floor(X/46)*1.7)))*H*0.2*exp(-pow((floor(X/46)*46+15-W/2)/(W*0.28),2))+6)*between(mod(X,46),0,30)*between(X,184,1226)"
"$ffmpeg" -v error -y -f lavfi -i "color=c=black:s=1400x1400,format=rgb24" \
  -vf "geq=r='clip(20+60*Y/H+225*$bars,0,255)':g='clip(70+50*Y/H+140*$bars,0,255)':b='clip(90+40*Y/H+50*$bars,0,255)'" \
  -frames:v 1 "$(dirname "$0")/../src/suaraberita/data/cover.png"
