#!/usr/bin/env python3
"""PyTorch reference of Fiji CLIP: the same architecture and recipe in idiomatic PyTorch, timed on the same files.

The model is Hugging Face's ``CLIPModel`` as Fiji CLIP implements it (sc.fiji.clip.model): pre-LN encoder layers
with quick_gelu (or exact gelu) MLPs, a causal text transformer that also masks padding and pools at the end token,
a bias-free patch convolution with a class token, ``pre_layrnorm`` and ``post_layernorm``, bias-free projections and
a learned ``logit_scale`` clamped at ln 100. Weights load from a model file Fiji CLIP wrote (a zip with
``config.json`` and ``model.safetensors`` in Hugging Face names), with ``load_state_dict(strict=True)``, so every
tensor name and shape must match. Needs only torch: no transformers, no safetensors package.

The recipe is Fiji CLIP's (sc.fiji.clip.train): the symmetric contrastive loss with soft targets (pairs with the
same key share the target mass of a row) and ``torch.optim.AdamW`` with weight decay on the Linear and Conv2d
weights only (not on biases, norms, embeddings, the class embedding or the temperature), betas (0.9, 0.98),
eps 1e-6. One difference is known and small: Fiji CLIP's AdamW is DJL's fused update, which adds eps to sqrt(v)
before the bias correction (MXNet's form), i.e. torch's eps times sqrt(1 - beta2^t).

The orchestrator (src/test/java/sc/fiji/clip/bench/ReferenceComparison.java) writes, per preset, into one folder:
model.zip, batch.safetensors (pixels, token ids, lengths, class keys, the targets, 2048 uint8 RGB images for
labelling, label and prompt tokens, and Java's own embeddings and label probabilities to compare with) and
batch.json (hyper-parameters, the names Java decays). This script measures the same three things as the Java side
(train step time, labelling images/s, colour optimisation time) and writes them with the parity checks as JSON:

    python clip_reference.py --dir bench/work/reference/seed --threads 2 --out python.json

Threads: ``torch.set_num_threads(threads)``, one inter-op thread (as Fiji CLIP), and the caller should also set
OMP_NUM_THREADS and OMP_WAIT_POLICY=PASSIVE in the environment (the orchestrator does).
"""

import argparse
import json
import math
import os
import platform
import statistics
import struct
import sys
import time
import warnings
import zipfile

warnings.filterwarnings("ignore", message=".*NumPy.*")  # torch works without numpy; it only warns


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dir", required=True, help="folder with model.zip, batch.safetensors, batch.json")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out", help="write the JSON result here (default: standard output)")
    p.add_argument("--warmup", type=int, default=None, help="train warm-up steps (default: batch.json's)")
    p.add_argument("--steps", type=int, default=None, help="timed train steps (default: batch.json's)")
    p.add_argument("--colour-runs", type=int, default=None, help="timed colour runs (default: batch.json's)")
    p.add_argument("--attention", choices=["sdpa", "eager"], default="sdpa",
                   help="sdpa: F.scaled_dot_product_attention (transformers' default); eager: softmax(QK^T)V")
    p.add_argument("--skip", default="", help="comma-separated parts to skip: label, colour, train, fused, every")
    p.add_argument("--profile-ops", metavar="FILE",
                   help="after the measurements, profile 3 train steps with torch.profiler and write op counts here")
    return p.parse_args()


ARGS = parse_args()
os.environ.setdefault("OMP_NUM_THREADS", str(ARGS.threads))
import torch  # noqa: E402  (after OMP_NUM_THREADS)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(ARGS.threads)
torch.set_num_interop_threads(1)

from clip_model import (adamw, contrastive_loss, decay_groups, encode_captions, load_model,  # noqa: E402
                        read_safetensors, soft_targets, write_result)


def djl_form_losses(model, batch, meta, steps):
    """Losses of the first train steps with AdamW's eps set, step by step, to the value that reproduces DJL's update
    (eps added to sqrt(v) before the bias correction): eps_t = eps / sqrt(1 - beta2^t). Untimed; shows that the
    remaining loss difference after the first update is that eps placement and nothing else."""
    model.train()
    model.requires_grad_(True)
    optimizer = adamw(model, meta)
    beta2 = meta["betas"][1]
    losses = []
    for step in range(1, steps + 1):
        loss = contrastive_loss(model.encode_image(batch["pixels"]) @ model.encode_text(batch["input_ids"],
                                batch["lengths"]).t() * model.scale(), soft_targets(batch["keys"]))
        loss.backward()
        for group in optimizer.param_groups:
            group["eps"] = meta["eps"] / math.sqrt(1 - beta2 ** step)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())
    return losses


def mean(values):
    return sum(values) / len(values) if values else float("nan")


def train(model, batch, meta, warmup, steps, distinct=True, **implementation):
    """Warm-up, then timed steps: per step forward, backward, optimizer; losses of every step."""
    model.train()
    model.requires_grad_(True)
    optimizer = adamw(model, meta, **implementation)
    pixels, ids, lengths, keys = batch["pixels"], batch["input_ids"], batch["lengths"], batch["keys"]
    losses, total, forward, backward, update = [], [], [], [], []
    for step in range(warmup + steps):
        t0 = time.perf_counter()
        loss = contrastive_loss(model.encode_image(pixels) @ encode_captions(model, ids, lengths, distinct).t()
                                * model.scale(), soft_targets(keys))
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        t3 = time.perf_counter()
        losses.append(loss.item())
        t4 = time.perf_counter()
        if step >= warmup:
            total.append(t4 - t0)
            forward.append(t1 - t0)
            backward.append(t2 - t1)
            update.append(t3 - t2)
    ms = lambda xs: 1000 * mean(xs)  # noqa: E731
    impl = "fused" if implementation.get("fused") else "foreach" if implementation.get("foreach") else "default"
    return {"optimizer": f"torch.optim.AdamW ({impl})", "distinct_captions": distinct, "warmup": warmup, "steps": steps,
            "step_ms_mean": ms(total), "step_ms_median": 1000 * statistics.median(total),
            "step_ms_min": 1000 * min(total), "steps_ms": [1000 * t for t in total],
            "forward_ms": ms(forward), "backward_ms": ms(backward), "optimizer_ms": ms(update), "losses": losses}


def preprocess(images_u8, size, mean_t, std_t):
    """uint8 [n, h, w, 3] to normalised [n, 3, size, size]: as CLIPImageProcessor, but resized with torch's bicubic
    (antialiased, a = -0.75 as in torch, rounded to 8 bits like a uint8 resize) instead of Pillow's (a = -0.5)."""
    x = images_u8.permute(0, 3, 1, 2).float()
    if x.shape[-2:] != (size, size):
        x = F.interpolate(x, size=(size, size), mode="bicubic", align_corners=False, antialias=True)
        x = x.round_().clamp_(0, 255)
    return (x * (1 / 255) - mean_t) / std_t


def label(model, batch, meta, size, mean_t, std_t):
    """Zero-shot labelling of the uint8 images: preprocess, encode, scaled cosine, softmax, top-k rows."""
    model.eval()
    images, names = batch["label_images"], meta["labels"]
    k, per = meta["top_k"], meta["label_batch"]
    with torch.inference_mode():
        texts = model.encode_text(batch["label_ids"], batch["label_lengths"])
        texts = F.normalize(texts, dim=-1)  # the mean over one template, normalised again
        scale = model.scale().item()

        def run(u8, rows=None, probabilities=None):
            for start in range(0, u8.shape[0], per):
                p = (model.encode_image(preprocess(u8[start:start + per], size, mean_t, std_t)) @ texts.t()
                     * scale).softmax(-1)
                top = p.topk(k, dim=-1)
                for values, indices in zip(top.values.tolist(), top.indices.tolist()):
                    if rows is not None:
                        rows.append(([names[i] for i in indices], values))
                if probabilities is not None:
                    probabilities.append(p)

        run(images[:per])  # warm-up
        rows = []
        t0 = time.perf_counter()
        run(images, rows)
        seconds = time.perf_counter() - t0
        probabilities = []
        run(images, probabilities=probabilities)  # untimed, for the comparison with Java's
        # encode only, on batches preprocessed beforehand (as LabelBenchmark's "encode only")
        batches = [preprocess(images[s:s + per], size, mean_t, std_t) for s in range(0, images.shape[0], per)]
        t0 = time.perf_counter()
        for x in batches:
            model.encode_image(x).tolist()
        encode_only = images.shape[0] / (time.perf_counter() - t0)
    p = torch.cat(probabilities)
    return {"images": len(rows), "batch": per, "top_k": k, "seconds": seconds, "images_per_s": len(rows) / seconds,
            "encode_only_images_per_s": encode_only,
            "resize": "F.interpolate bicubic antialias" if images.shape[1] != size else "none (images at model size)"}, \
        p, texts


def colour(model, batch, meta, size, mean_t, std_t, steps):
    """The colour whose image embedding is closest to the prompt's: sigmoid(logit) spread to the model's size,
    normalised, encoded by the frozen image encoder; AdamW on the logit; one frame recorded per step."""
    model.eval()
    model.requires_grad_(False)
    with torch.no_grad():
        target = model.encode_text(batch["prompt_ids"], batch["prompt_lengths"])
    logit = torch.full((1, 3, 1, 1), float(meta["colour_start_logit"]), requires_grad=True)
    optimizer = torch.optim.AdamW([logit], lr=meta["colour_learning_rate"], betas=tuple(meta["colour_betas"]),
                                  eps=meta["colour_eps"], weight_decay=meta["colour_weight_decay"])
    frames = []
    for step in range(steps + 1):
        if step < steps:
            c = torch.sigmoid(logit)
            similarity = (model.encode_image((c.expand(1, 3, size, size) - mean_t) / std_t) * target).sum(-1)
            loss = -similarity.sum()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        else:
            with torch.no_grad():
                c = torch.sigmoid(logit)
                similarity = (model.encode_image((c.expand(1, 3, size, size) - mean_t) / std_t) * target).sum(-1)
        frames.append((c.detach().flatten().tolist(), similarity.item()))
    best = max(range(len(frames)), key=lambda i: frames[i][1])
    rgb = frames[best][0]
    return {"rgb": rgb, "hex": "#%02X%02X%02X" % tuple(int(round(v * 255)) for v in rgb),
            "similarity": frames[best][1], "best_step": best, "last_rgb": frames[-1][0],
            "last_similarity": frames[-1][1]}


def time_colour(model, batch, meta, size, mean_t, std_t, runs):
    steps = meta["colour_steps"]
    colour(model, batch, meta, size, mean_t, std_t, 5)  # warm-up, as ColorBenchmark
    seconds, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = colour(model, batch, meta, size, mean_t, std_t, steps)
        seconds.append(time.perf_counter() - t0)
    result.update({"steps": steps, "runs_s": seconds, "seconds_median": statistics.median(seconds)})
    return result


def profile_ops(model, batch, meta, path):
    """A Kineto trace of 3 train steps (after 2 warm-up steps) with phase::forward, phase::backward and
    phase::optimizer annotations, written to path; the orchestrator counts its operators (TrainProfile.java)."""
    from torch.profiler import ProfilerActivity, profile, record_function
    model.train()
    model.requires_grad_(True)
    optimizer = adamw(model, meta)
    pixels, ids, lengths, keys = batch["pixels"], batch["input_ids"], batch["lengths"], batch["keys"]

    def step():
        with record_function("phase::forward"):
            loss = contrastive_loss(model.encode_image(pixels) @ encode_captions(model, ids, lengths).t() * model.scale(),
                                    soft_targets(keys))
        with record_function("phase::backward"):
            loss.backward()
            loss.item()
        with record_function("phase::optimizer"):
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)

    for _ in range(2):
        step()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(3):
            step()
    prof.export_chrome_trace(path)
    return {"steps": 3, "trace": path}


def max_abs_diff(a, b):
    return (a.float() - b.float()).abs().max().item()


def main():
    args = ARGS
    skip = set(filter(None, args.skip.split(",")))
    with open(os.path.join(args.dir, "batch.json")) as f:
        meta = json.load(f)
    with open(os.path.join(args.dir, "batch.safetensors"), "rb") as f:
        batch = read_safetensors(f.read())
    batch = {k: (v.long() if k.endswith("ids") or k.endswith("lengths") or k == "keys" else v) for k, v in batch.items()}
    warmup = args.warmup if args.warmup is not None else meta["warmup"]
    steps = args.steps if args.steps is not None else meta["steps"]
    runs = args.colour_runs if args.colour_runs is not None else meta["colour_runs"]
    model_path = os.path.join(args.dir, "model.zip")
    sdpa = args.attention == "sdpa" and hasattr(F, "scaled_dot_product_attention")  # torch >= 2.0
    model, config, preprocessor = load_model(model_path, sdpa)
    size = config["vision_config"]["image_size"]
    mean_t = torch.tensor(preprocessor["image_mean"], dtype=torch.float32).view(1, 3, 1, 1)
    std_t = torch.tensor(preprocessor["image_std"], dtype=torch.float32).view(1, 3, 1, 1)

    result = {"torch": torch.__version__, "python": platform.python_version(), "executable": sys.executable,
              "threads": torch.get_num_threads(), "interop_threads": torch.get_num_interop_threads(),
              "cpu_capability": getattr(torch.backends, "cpu", None) and torch.backends.cpu.get_cpu_capability(),
              "mkldnn": torch.backends.mkldnn.is_available(),
              "attention": "F.scaled_dot_product_attention" if sdpa else "eager (softmax(QK^T)V)",
              "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"), "omp_num_threads": os.environ.get("OMP_NUM_THREADS")}

    # parity: the same architecture gives the same embeddings and targets as Java's
    model.eval()
    with torch.no_grad():
        images = model.encode_image(batch["pixels"])
        texts = model.encode_text(batch["input_ids"], batch["lengths"])
        loss = contrastive_loss(images @ texts.t() * model.scale(), soft_targets(batch["keys"]))
    decayed, _ = decay_groups(model)
    parity = {"image_embeds_max_abs_diff": max_abs_diff(images, batch["expected.image_embeds"]),
              "text_embeds_max_abs_diff": max_abs_diff(texts, batch["expected.text_embeds"]),
              "targets_max_abs_diff": max_abs_diff(soft_targets(batch["keys"]), batch["expected.targets"]),
              "loss_before_training": loss.item(),
              "decay_groups_match": sorted(decayed) == sorted(meta["decayed"]),
              "decayed_tensors": len(decayed), "tensors": len(list(model.parameters()))}
    result["parity"] = parity

    if "label" not in skip:
        result["label"], probabilities, label_embeds = label(model, batch, meta, size, mean_t, std_t)
        parity["label_embeds_max_abs_diff"] = max_abs_diff(label_embeds, batch["expected.label_embeds"])
        parity["label_probs_max_abs_diff"] = max_abs_diff(probabilities, batch["expected.label_probs"])
        parity["label_top1_agreement"] = (probabilities.argmax(-1) == batch["expected.label_probs"].argmax(-1)
                                          ).float().mean().item()
    if "colour" not in skip:
        result["colour"] = time_colour(model, batch, meta, size, mean_t, std_t, runs)
    if "train" not in skip:
        fresh, _, _ = load_model(model_path, sdpa)
        parity["losses_djl_eps"] = djl_form_losses(fresh, batch, meta, 2)
        result["train"] = train(model, batch, meta, warmup, steps)
    if "fused" not in skip:
        fresh, _, _ = load_model(model_path, sdpa)
        try:  # fused AdamW runs on the CPU from torch 2.4
            result["train_fused"] = train(fresh, batch, meta, warmup, steps, fused=True)
        except (RuntimeError, TypeError, ValueError) as e:
            result["train_fused"] = {"error": str(e)}
    if "every" not in skip:
        fresh, _, _ = load_model(model_path, sdpa)
        result["train_every_caption"] = train(fresh, batch, meta, warmup, steps, distinct=False)
    if args.profile_ops:
        fresh, _, _ = load_model(model_path, sdpa)
        result["profile_ops"] = profile_ops(fresh, batch, meta, args.profile_ops)

    write_result(result, args.out)


if __name__ == "__main__":
    main()
