#!/usr/bin/env python3
"""Writes benchmark inputs for pmo-vmo (standard library only).

  gen.py csv N OUT.csv [RUBRIC]   a Google-Forms-shaped export of N rows: Timestamp,
                                  Email Address and Name columns, then one column per
                                  question headed by its full text, cells holding the
                                  option labels
  gen.py toml N OUT_DIR [RUBRIC]  N answer sheets as TOML files in OUT_DIR

Answers are drawn from a seeded generator, so runs are repeatable.
"""
import csv
import os
import random
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_RUBRIC = os.path.join(HERE, "..", "questionnaires", "pmo-vmo.toml")


def main():
    if len(sys.argv) not in (4, 5) or sys.argv[1] not in ("csv", "toml"):
        sys.exit(__doc__)
    kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(sys.argv[4] if len(sys.argv) == 5 else DEFAULT_RUBRIC, "rb") as f:
        rubric = tomllib.load(f)
    questions = rubric["question"]
    rng = random.Random(4)
    names = ["Ann Lee", "Bo Chen", "Carla Díaz", "Dev Patel", "Eve O'Neil", "Femi Ade"]
    if kind == "csv":
        with open(out, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["Timestamp", "Email Address", "Name"] + [q["text"] for q in questions])
            labels = [[o["label"] for o in q["option"]] for q in questions]
            for i in range(n):
                row = [
                    f"2026/11/{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d} GMT",
                    f"person{i}@example.org",
                    names[i % len(names)],
                ]
                row += [rng.choice(opts) for opts in labels]
                w.writerow(row)
    else:
        os.makedirs(out, exist_ok=True)
        for i in range(n):
            lines = [f'rubric = "{rubric["id"]}"', f'respondent = "{names[i % len(names)]}"', "", "[answers]"]
            lines += [f'{q["id"]} = "{rng.choice(q["option"])["id"]}"' for q in questions]
            with open(os.path.join(out, f"sheet-{i:05d}.toml"), "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
