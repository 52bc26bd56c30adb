"""All raw Chroma access: the client and collections (``chroma``), chunk reads and writes
(``chunks``), and the sentence-vector cache that sits beside them (``sentence_vectors``)."""
