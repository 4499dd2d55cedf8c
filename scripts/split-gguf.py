"""Splits a GGUF into llama.cpp's split format ({stem}-00001-of-0000N.gguf …, with the split.* keys), with gguf-py's
own writer and its copy routine (gguf.scripts.gguf_new_metadata), so the parts are what llama.cpp's gguf-split makes.
Usage: split-gguf.py INPUT.gguf OUTPUT_FOLDER TENSORS_PER_PART; prints the first part's path.
"""
import logging
import sys
from pathlib import Path

import gguf
from gguf.scripts.gguf_new_metadata import copy_with_new_metadata


def main():
    source, folder, per_part = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    logging.disable(logging.WARNING)
    folder.mkdir(parents=True, exist_ok=True)
    reader = gguf.GGUFReader(source, "r")
    architecture = reader.fields[gguf.Keys.General.ARCHITECTURE].contents()
    writer = gguf.GGUFWriter(folder / source.name, architecture, endianess=reader.endianess,
                             split_max_tensors=per_part)
    copy_with_new_metadata(reader, writer, {}, [])
    print(sorted(folder.glob(f"{source.stem}-*-of-*.gguf"))[0])


if __name__ == "__main__":
    main()
