"""Speech: from spoken text to sound.

Takes normalised utterances and a voice profile (``voices/*.toml``) and gives one
`Pcm` per utterance from the engine the profile names (espeak-ng, Google, Piper), through
the engine protocol and registry in `speech.engine` and the shared audio cache.
"""
