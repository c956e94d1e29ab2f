"""Text: from an `Article` to what is said.

Takes an `Article` and a voice's pauses and gives a `Script`: parts (chapters) of
utterances in their spoken form, normalised by the passes of `text.normalize` and the
user's lexicon, and chunked for engines that limit a request's length.
"""
