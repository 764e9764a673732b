#!/usr/bin/env python3
"""How far 16 examples per class can go on the few-shot transfer benchmark's classes 5-9, with no CLIP at all: the
yardsticks beside FewShotTransfer's target "the best method beats training from scratch by 10 points at k = 16".

On the benchmark's own data (the first 2 000 training images of each of classes 0-4 for pretraining, the first 2 000
of each of classes 5-9 as the pool, the 5 000 test images of classes 5-9) and its own k = 16 draws (read from the shot
folders FewShotTransfer writes, whose file names are the indices in the idx files):

- logistic regression on the pixels, on the draws and on the whole pool;
- a small CNN (5 convolutions with batch norm, 128 features) trained with augmentation (shifts of up to 2 px,
  horizontal flips) and cross-entropy: from scratch on the draws; pretrained with class labels on classes 0-4 (the
  most a model pretrained on those images can bring: supervised features, no caption noise), then a linear probe
  on its features and full fine-tuning on the draws; and from scratch on the whole pool (the ceiling).

    python few_shot_ceiling.py --shots bench/work/few-shot/shots --threads 2 --out ceiling.json

Needs torch only (no numpy). About 8 minutes on 2 cores.
"""

import argparse
import copy
import gzip
import json
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ["t-shirt_or_top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot"]
POOL = 2000
MEAN, STD = 0.286, 0.353


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--fashion-mnist", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--shots", required=True, help="FewShotTransfer's shot folders (k16-d1, k16-d2, ...)")
    p.add_argument("--k", type=int, default=16)
    p.add_argument("--draws", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)
    return p.parse_args()


def idx(path, offset):
    with gzip.open(path) as f:
        return torch.frombuffer(bytearray(f.read()[offset:]), dtype=torch.uint8)


def load(folder, prefix):
    x = idx(os.path.join(folder, prefix + "-images-idx3-ubyte.gz"), 16).reshape(-1, 1, 28, 28).float() / 255
    y = idx(os.path.join(folder, prefix + "-labels-idx1-ubyte.gz"), 8).long()
    return (x - MEAN) / STD, y


def first(y, classes, n):
    return torch.cat([torch.where(y == c)[0][:n] for c in classes])


def shot_indices(folder):
    """Training-set indices of a shot folder's images and their classes 0-4 (class c + 5 of Fashion-MNIST)."""
    rows, labels = [], []
    for c, name in enumerate(CLASSES[5:]):
        for f in sorted(os.listdir(os.path.join(folder, name))):
            if f.endswith(".png"):
                rows.append(int(f[:-4]))
                labels.append(c)
    return torch.tensor(rows), torch.tensor(labels)


def cnn():
    def block(i, o):
        return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]
    return nn.Sequential(*block(1, 32), *block(32, 32), nn.MaxPool2d(2), *block(32, 64), *block(64, 64),
                         nn.MaxPool2d(2), *block(64, 128), nn.AdaptiveAvgPool2d(1), nn.Flatten())


def augment(x):
    padded = F.pad(x, (2, 2, 2, 2), mode="replicate")
    i, j = torch.randint(0, 5, (2,)).tolist()
    x = padded[:, :, i:i + 28, j:j + 28]
    flip = torch.rand(x.shape[0]) < 0.5
    return torch.where(flip[:, None, None, None], x.flip(3), x)


def train(body, head, x, y, steps, lr, batch=128):
    params = list(body.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    body.train()
    for _ in range(steps):
        rows = torch.randint(0, len(x), (min(batch, len(x)),))
        loss = F.cross_entropy(head(body(augment(x[rows]))), y[rows])
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()


@torch.no_grad()
def features(body, x):
    body.eval()
    return torch.cat([body(x[i:i + 1000]) for i in range(0, len(x), 1000)])


@torch.no_grad()
def accuracy(logits, y):
    return (logits.argmax(1) == y).float().mean().item()


def logistic(x, y, x_test, y_test, weight_decay, steps=500):
    """Multinomial logistic regression on standardised features, full-batch Adam."""
    mean, std = x.mean(0), x.std(0) + 1e-6
    x, x_test = (x - mean) / std, (x_test - mean) / std
    head = nn.Linear(x.shape[1], 5)
    opt = torch.optim.Adam(head.parameters(), lr=1e-2)
    for _ in range(steps):
        loss = F.cross_entropy(head(x), y) + weight_decay * head.weight.square().sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return accuracy(head(x_test), y_test)


def timed(results, key, fn):
    t = time.perf_counter()
    value = fn()
    results.setdefault(key, []).append(value)
    results.setdefault(key + "_seconds", []).append(time.perf_counter() - t)
    print(f"  {key}: {100 * value:.1f} %", flush=True)


def main():
    a = parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    x, y = load(a.fashion_mnist, "train")
    x_test, y_test = load(a.fashion_mnist, "t10k")
    new_test = y_test >= 5
    xn, yn = x_test[new_test], y_test[new_test] - 5
    old, pool = first(y, range(5), POOL), first(y, range(5, 10), POOL)
    flat_test = xn.flatten(1)

    results = {}
    t = time.perf_counter()
    pretrained, old_head = cnn(), nn.Linear(128, 5)
    train(pretrained, old_head, x[old], y[old], 1500, 2e-3)
    old_test = y_test < 5
    results["pretrained_old_accuracy"] = accuracy(old_head(features(pretrained, x_test[old_test])), y_test[old_test])
    results["pretrained_seconds"] = time.perf_counter() - t
    print(f"CNN pretrained on classes 0-4: {100 * results['pretrained_old_accuracy']:.1f} % on their test images",
          flush=True)
    pretrained_test = features(pretrained, xn)

    for draw in range(1, a.draws + 1):
        print(f"k = {a.k}, draw {draw}", flush=True)
        rows, labels = shot_indices(os.path.join(a.shots, f"k{a.k}-d{draw}"))
        if not torch.equal(y[rows] - 5, labels):
            raise SystemExit(f"{a.shots}/k{a.k}-d{draw}: file names are not Fashion-MNIST training indices")
        xs = x[rows]
        timed(results, "pixels_logistic", lambda: logistic(xs.flatten(1), labels, flat_test, yn, 1e-3))

        def scratch():
            body, head = cnn(), nn.Linear(128, 5)
            train(body, head, xs, labels, 600, 1e-3)
            return accuracy(head(features(body, xn)), yn)
        timed(results, "cnn_scratch", scratch)
        timed(results, "cnn_pretrained_probe",
              lambda: logistic(features(pretrained, xs), labels, pretrained_test, yn, 1e-3))

        def fine_tune():
            body, head = copy.deepcopy(pretrained), nn.Linear(128, 5)
            train(body, head, xs, labels, 600, 1e-3)
            return accuracy(head(features(body, xn)), yn)
        timed(results, "cnn_pretrained_fine_tune", fine_tune)

    print(f"the whole pool ({POOL} images per class)", flush=True)
    full = {}
    timed(full, "pixels_logistic", lambda: logistic(x[pool].flatten(1), y[pool] - 5, flat_test, yn, 1e-4, steps=1000))

    def ceiling():
        body, head = cnn(), nn.Linear(128, 5)
        train(body, head, x[pool], y[pool] - 5, 1500, 2e-3)
        return accuracy(head(features(body, xn)), yn)
    timed(full, "cnn_scratch", ceiling)

    summary = {"torch": torch.__version__, "threads": a.threads, "k": a.k, "draws": a.draws, "pool": POOL,
               "pretrained_old_accuracy": results.pop("pretrained_old_accuracy"),
               "pretrained_seconds": results.pop("pretrained_seconds"),
               "k_shot": {key: {"mean": statistics.mean(v), "min": min(v), "max": max(v)} for key, v in results.items()},
               "pool_all": {key: v[0] for key, v in full.items()}}
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(summary, f, indent=2)
    os.replace(tmp, a.out)


if __name__ == "__main__":
    main()
