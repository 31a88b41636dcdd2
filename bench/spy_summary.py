"""Summarise py-spy raw stacks (``bench.throughput --profile``): where a worker's samples go.

    python -m bench.spy_summary /tmp/profile/backward-*.txt

Prints the share of samples in each layer (the driver, graphql-core, Strawberry, uvicorn,
Starlette, pydantic, asyncio, the project): with a frame of it anywhere on the stack, and with
its own code running (the innermost frame); then the functions with the most samples of their own.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"\((?P<file>[^:()]+)(?::\d+)?\)$")
# py-spy names a frame's file relative to its sys.path entry: the first folder is the package.
LAYERS = {
    "neo4j": "neo4j driver",
    "graphql": "graphql-core",
    "strawberry": "strawberry",
    "uvicorn": "uvicorn",
    "httptools": "uvicorn",
    "starlette": "starlette",
    "pydantic": "pydantic",
    "pydantic_core": "pydantic",
    "asyncio": "asyncio",
    "uvloop": "asyncio",
    "resolvers": "project",
    "schema": "project",
    "graph": "project",
    "tracegraph": "project",
}


def layer(frame: str) -> str:
    match = FRAME.search(frame)
    if match is None:
        return "other"
    return LAYERS.get(match.group("file").split("/", 1)[0], "other")


def read(paths: list[Path]) -> list[tuple[list[str], int]]:
    stacks = []
    for path in paths:
        for line in path.read_text().splitlines():
            frames, _, count = line.rpartition(" ")
            if frames:
                stacks.append((frames.split(";"), int(count)))
    return stacks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    stacks = read(args.paths)
    total = sum(count for _, count in stacks)
    inclusive: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for frames, count in stacks:
        for name in {layer(frame) for frame in frames}:
            inclusive[name] += count
        leaf[layer(frames[-1])] += count
        own[frames[-1]] += count
    print(f"{total} samples; layer: on the stack / its own code running")
    for name, count in inclusive.most_common():
        print(f"  {name:14} {count / total:6.1%} / {leaf[name] / total:6.1%}")
    print("most samples of their own:")
    for function, count in own.most_common(args.top):
        print(f"  {count / total:6.1%}  {function}")


if __name__ == "__main__":
    main()
