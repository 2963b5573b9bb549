#!/usr/bin/env python3
"""Builds roundtrip_sample.jsonl: a deterministic sample of texts from the harness data sets, used to check that
decode(encode(text)) == text. Python 3 standard library only.

Usage: make_roundtrip_sample.py DATASETS_DIR > roundtrip_sample.jsonl
(DATASETS_DIR = the folder that holds math/, code/, logic/; see SOURCE.md).
"""
import json
import os
import sys


def jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def strings(value):
    """All string leaves of a JSON value, in order."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)


def main():
    root = sys.argv[1]
    out = []

    def add(source, rows, fields, step):
        for i, row in enumerate(rows):
            if i % step:
                continue
            for field in fields:
                for s in strings(row.get(field, "")):
                    if s:
                        out.append({"source": f"{source}#{i}.{field}", "text": s})

    add("math/gsm8k/test.jsonl", jsonl(os.path.join(root, "math/gsm8k/test.jsonl")), ["question", "answer"], 40)
    add("math/math500/test.jsonl", jsonl(os.path.join(root, "math/math500/test.jsonl")), ["problem", "solution"], 20)
    add("math/math/test.jsonl", jsonl(os.path.join(root, "math/math/test.jsonl")), ["problem", "solution"], 250)
    for name in ["aime2024", "aime2025", "amc2023"]:
        add(f"math/{name}/test.jsonl", jsonl(os.path.join(root, f"math/{name}/test.jsonl")), ["problem"], 3)
    add("code/humaneval/HumanEval.jsonl", jsonl(os.path.join(root, "code/humaneval/HumanEval.jsonl")),
        ["prompt", "canonical_solution"], 8)
    add("code/mbpp/mbpp.jsonl", jsonl(os.path.join(root, "code/mbpp/mbpp.jsonl")), ["text", "code", "test_list"], 40)
    add("code/livecodebench-v5-qwq/livecodebench_v5.jsonl",
        jsonl(os.path.join(root, "code/livecodebench-v5-qwq/livecodebench_v5.jsonl")), ["prompt"], 28)
    add("logic/knights-knaves/test.jsonl", jsonl(os.path.join(root, "logic/knights-knaves/test.jsonl")),
        ["quiz", "solution_text"], 50)
    bbh = os.path.join(root, "logic/bbh")
    for name in sorted(os.listdir(bbh)):
        if name.endswith(".json"):
            with open(os.path.join(bbh, name), encoding="utf-8") as f:
                examples = json.load(f)["examples"]
            add(f"logic/bbh/{name}", examples[:2], ["input", "target"], 1)
    prompts = os.path.join(bbh, "cot-prompts")
    for name in sorted(os.listdir(prompts))[::3]:
        with open(os.path.join(prompts, name), encoding="utf-8", newline="") as f:
            out.append({"source": f"logic/bbh/cot-prompts/{name}", "text": f.read()})
    for row in out:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
