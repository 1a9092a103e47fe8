#!/usr/bin/env python3
"""Writes Tests/NewsMillTests/Fixtures/ner-reference.json: what the reference implementation
(slovnet 0.6.0 from natasha 1.6.0, NumPy) computes for a few sentences written for the tests, so
the Swift inference is checked layer by layer: razdel tokens, word and shape ids, the first 12
channels of every encoder layer, the tag scores, the CRF tags and the entity spans.
Run with a Python that has natasha 1.6.0 (e.g. the ner-eval virtualenv); needs no shared data."""
import json
import sys
from pathlib import Path

import numpy as np
from natasha import NewsEmbedding, NewsNERTagger
from slovnet.exec.encoders import WordShapeEncoder  # noqa: F401 (documents where the ids come from)

TEXTS = [
    "Глава МИД России Сергей Лавров прилетел в Нью-Йорк, сообщает ТАСС.",
    "В 2019 г. «Газпром» заплатил 5,3 млрд руб. — ровно 1/2 от плана (т.е. «что-то» вроде :-) ...).",
    "Президент США Дональд Трамп встретился с Ангелой Меркель в Берлине!?",
    "ЕКАТЕРИНБУРГ, 3 марта. Компания Apple и ООО «Ромашка» подписали соглашение с мэрией Екатеринбурга.",
]
CHANNELS = 12


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "Tests/NewsMillTests/Fixtures/ner-reference.json"
    tagger = NewsNERTagger(NewsEmbedding())
    infer = tagger.infer
    model = infer.model
    cases = []
    for text in TEXTS:
        from slovnet.token import tokenize
        tokens = list(tokenize(text))
        words = [t.text for t in tokens]
        inp = next(infer.encoder([words]))
        x = model.emb(inp.word_id, inp.shape_id)
        x = np.swapaxes(x, 2, 1)
        layers = []
        for layer in model.encoder.layers:
            x = layer(x)
            layers.append(np.swapaxes(x, 2, 1)[0][:, :CHANNELS].round(5).tolist())
        h = np.swapaxes(x, 2, 1)
        scores = model.head(h)
        tags = model.head.crf.decode(scores, ~inp.pad_mask)[0].tolist()
        spans = [[s.type, s.start, s.stop] for s in tagger(text).spans]
        cases.append({
            "text": text,
            "tokens": [[t.start, t.stop] for t in tokens],
            "word_ids": inp.word_id[0].tolist(),
            "shape_ids": inp.shape_id[0].tolist(),
            "layers": layers,
            "scores": scores[0].round(4).tolist(),
            "tags": tags,
            "spans": spans,
        })
    out.write_text(json.dumps({"reference": "natasha 1.6.0 / slovnet 0.6.0", "channels": CHANNELS, "cases": cases},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
