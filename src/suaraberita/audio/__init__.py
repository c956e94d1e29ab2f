"""Audio: from sound to an episode file.

Takes (PCM, pause) pairs and gives a loudness-normalised MP3 with `Rendered` spans,
then its ID3 tags and chapters (`audio.tags`), transcripts (`audio.transcript`) and the
show's cover art (`audio.cover`).
"""
