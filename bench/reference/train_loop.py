#!/usr/bin/env python3
"""A plain PyTorch training loop over a captioned folder, then zero-shot labelling of a test folder: what a user
would write instead of ``fiji-clip train`` + ``fiji-clip label``, timed the same way (the whole process, start-up,
decoding and labelling included). Same architecture, start weights, recipe and schedule as Fiji CLIP's trainer
(clip_model.py); no augmentation; every caption of a batch encoded (no de-duplication); the last batch of an epoch
may be smaller. Images are decoded with Pillow and resized with Pillow's bicubic to the model's size (none at the
model's size), as CLIPImageProcessor.

    python train_loop.py --init init.zip --train DIR --test DIR --labels "a,b" --template "a {}" --steps 900 \\
        --batch 128 --lr 5e-4 --threads 2 --out result.json

Folders hold ``captions.csv`` (image,caption); the test caption with the template removed is the truth.
"""

import argparse
import csv
import math
import os
import time

START = time.perf_counter()


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--init", required=True, help="model file with the start weights (Fiji CLIP wrote it)")
    p.add_argument("--train", required=True)
    p.add_argument("--test", required=True)
    p.add_argument("--labels", required=True, help="comma-separated class names")
    p.add_argument("--template", default="{}")
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--label-batch", type=int, default=64)
    p.add_argument("--out", help="write the JSON result here (default: standard output)")
    return p.parse_args()


ARGS = parse_args()
os.environ.setdefault("OMP_NUM_THREADS", str(ARGS.threads))
import torch  # noqa: E402  (after OMP_NUM_THREADS)
import torch.nn.functional as F  # noqa: E402
from PIL import Image  # noqa: E402

from clip_model import adamw, contrastive_loss, load_model, soft_targets, write_result  # noqa: E402

torch.set_num_threads(ARGS.threads)
torch.set_num_interop_threads(1)

PAD, BYTE0, BOS, EOS = 0, 1, 257, 258  # sc.fiji.clip.text.ByteTokenizer


def tokenize(texts, context):
    ids = torch.zeros(len(texts), context, dtype=torch.long)
    lengths = torch.zeros(len(texts), dtype=torch.long)
    for i, text in enumerate(texts):
        tokens = [BOS] + [b + BYTE0 for b in text.encode("utf-8")[:context - 2]] + [EOS]
        ids[i, :len(tokens)] = torch.tensor(tokens)
        lengths[i] = len(tokens)
    return ids, lengths


def read_folder(folder, size, mean, std):
    """Pixels [n, 3, size, size] normalised, and captions, of the rows of folder/captions.csv."""
    with open(os.path.join(folder, "captions.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    pixels = torch.empty(len(rows), 3, size, size)
    for i, row in enumerate(rows):
        with Image.open(os.path.join(folder, row["image"])) as im:
            im = im.convert("RGB")
            if im.size != (size, size):
                im = im.resize((size, size), Image.BICUBIC)
            x = torch.frombuffer(bytearray(im.tobytes()), dtype=torch.uint8).view(size, size, 3)
        pixels[i] = x.permute(2, 0, 1).float().div_(255)
    return (pixels - mean) / std, [row["caption"] for row in rows]


def schedule(peak, total):
    """sc.fiji.clip.train.LearningRateSchedule: linear warm-up over min(0.1 total, 500) steps, cosine to 0."""
    warmup = min(round(min(0.1 * total, 500)), total)

    def at(step):
        if step < warmup:
            return peak * (step + 1) / warmup
        progress = (step - warmup) / max(1, total - warmup)
        return peak * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))
    return at


def main():
    args = ARGS
    torch.manual_seed(args.seed)
    model, config, pre = load_model(args.init, sdpa=hasattr(F, "scaled_dot_product_attention"))
    size, context = config["vision_config"]["image_size"], config["text_config"]["max_position_embeddings"]
    mean = torch.tensor(pre["image_mean"]).view(1, 3, 1, 1)
    std = torch.tensor(pre["image_std"]).view(1, 3, 1, 1)
    t0 = time.perf_counter()
    pixels, captions = read_folder(args.train, size, mean, std)
    ids, lengths = tokenize(captions, context)
    keys = torch.tensor([sorted(set(captions)).index(c) for c in captions])
    decoded = time.perf_counter()

    model.train()
    meta = {"learning_rate": args.lr, "betas": [0.9, 0.98], "eps": 1e-6, "weight_decay": args.weight_decay}
    optimizer = adamw(model, meta)
    lr_at = schedule(args.lr, args.steps)
    n, step, losses = pixels.shape[0], 0, []
    while step < args.steps:
        order = torch.randperm(n)
        for start in range(0, n, args.batch):
            if step >= args.steps:
                break
            b = order[start:start + args.batch]
            if b.numel() < 2:
                continue
            for group in optimizer.param_groups:
                group["lr"] = lr_at(step)
            logits = model.encode_image(pixels[b]) @ model.encode_text(ids[b], lengths[b]).t() * model.scale()
            loss = contrastive_loss(logits, soft_targets(keys[b]))
            loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            losses.append(loss.item())
            step += 1
    trained = time.perf_counter()

    model.eval()
    labels = [s.strip() for s in args.labels.split(",")]
    test_pixels, test_captions = read_folder(args.test, size, mean, std)
    prefix, suffix = args.template.split("{}")
    truth = [c[len(prefix):len(c) - len(suffix)] for c in test_captions]
    correct = 0
    with torch.inference_mode():
        label_ids, label_lengths = tokenize([args.template.replace("{}", label) for label in labels], context)
        texts = model.encode_text(label_ids, label_lengths)
        scale = model.scale()
        for start in range(0, test_pixels.shape[0], args.label_batch):
            p = (model.encode_image(test_pixels[start:start + args.label_batch]) @ texts.t() * scale).softmax(-1)
            for i, k in enumerate(p.argmax(-1).tolist()):
                correct += labels[k] == truth[start + i]
    done = time.perf_counter()
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "images": n, "steps": step,
              "batch": args.batch, "learning_rate": args.lr, "seconds_to_start": t0 - START,
              "decode_seconds": decoded - t0, "train_seconds": trained - decoded, "label_seconds": done - trained,
              "step_ms": 1000 * (trained - decoded) / max(1, step), "first_loss": losses[0], "last_loss": losses[-1],
              "test_images": len(truth), "accuracy": correct / len(truth), "seconds_in_script": done - START}
    write_result(result, args.out)


if __name__ == "__main__":
    main()
