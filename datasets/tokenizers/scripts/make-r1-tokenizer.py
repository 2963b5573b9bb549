#!/usr/bin/env python3
"""Derive DeepSeek-R1's tokenizer.json from DeepSeek-V3's (python3 standard library only).

R1 shares V3's vocabulary, merges and pre-tokenizer; the only difference is that the added tokens
128798 and 128799 are `<think>` and `</think>` (non-special, normalized) instead of the V3
placeholders `<｜place▁holder▁no▁798｜>` / `<｜place▁holder▁no▁799｜>`.

The edit is a byte-exact text substitution of those two added-token objects so that the rest of the
8 MB file (layout, key order, escaping) stays identical to the V3 file; the result is then parsed
back and checked.

Usage: make-r1-tokenizer.py V3_TOKENIZER_JSON R1_TOKENIZER_JSON
"""
import json
import sys

PLACEHOLDER_TEMPLATE = (
    '{{\n'
    '            "id": {id},\n'
    '            "content": "<｜place▁holder▁no▁{n}｜>",\n'
    '            "single_word": false,\n'
    '            "lstrip": false,\n'
    '            "rstrip": false,\n'
    '            "normalized": false,\n'
    '            "special": true\n'
    '        }}'
)
THINK_TEMPLATE = (
    '{{\n'
    '            "id": {id},\n'
    '            "content": "{content}",\n'
    '            "single_word": false,\n'
    '            "lstrip": false,\n'
    '            "rstrip": false,\n'
    '            "normalized": true,\n'
    '            "special": false\n'
    '        }}'
)
REPLACEMENTS = [(128798, 798, "<think>"), (128799, 799, "</think>")]


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8", newline="") as f:
        text = f.read()
    for token_id, n, content in REPLACEMENTS:
        old = PLACEHOLDER_TEMPLATE.format(id=token_id, n=n)
        new = THINK_TEMPLATE.format(id=token_id, content=content)
        if text.count(old) != 1:
            print(f"{src}: expected exactly one placeholder entry for id {token_id}", file=sys.stderr)
            return 1
        text = text.replace(old, new)

    # Check the result: still valid JSON, the two ids now carry the think tags, nothing else moved.
    before = json.loads(open(src, encoding="utf-8").read())
    after = json.loads(text)
    old_added = {t["id"]: t for t in before["added_tokens"]}
    new_added = {t["id"]: t for t in after["added_tokens"]}
    assert old_added.keys() == new_added.keys()
    for token_id, _, content in REPLACEMENTS:
        assert new_added[token_id]["content"] == content
        assert new_added[token_id]["special"] is False
    changed = [i for i in old_added if old_added[i] != new_added[i]]
    assert sorted(changed) == [128798, 128799], changed
    for key in before:
        if key != "added_tokens":
            assert before[key] == after[key], key

    with open(dst, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
