"""Fiji CLIP's architecture and training recipe in PyTorch, shared by the reference scripts.

The model is Hugging Face's ``CLIPModel`` as Fiji CLIP implements it (sc.fiji.clip.model), loaded from a model file
Fiji CLIP wrote with ``load_state_dict(strict=True)``; the recipe is the symmetric contrastive loss with soft targets
and ``torch.optim.AdamW`` with weight decay on Linear and Conv2d weights only. Import it after setting
OMP_NUM_THREADS: it imports torch.
"""

import json
import math
import struct
import zipfile

import torch
import torch.nn as nn
import torch.nn.functional as F
# ---------------------------------------------------------------------------------------------------------------
# safetensors without the safetensors package

_DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
           "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
           "BOOL": torch.bool}


def read_safetensors(data):
    """Tensors by name from the bytes of a safetensors file (little-endian, as the format is)."""
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    base = 8 + length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        dtype = _DTYPES[entry["dtype"]]
        if end > start:
            flat = torch.frombuffer(bytearray(data[base + start:base + end]), dtype=dtype)
        else:
            flat = torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(entry["shape"])
    return tensors


# ---------------------------------------------------------------------------------------------------------------
# the architecture, with Hugging Face's module names so that state_dict keys are the file's tensor names

class Attention(nn.Module):
    def __init__(self, width, heads, sdpa):
        super().__init__()
        self.q_proj = nn.Linear(width, width)
        self.k_proj = nn.Linear(width, width)
        self.v_proj = nn.Linear(width, width)
        self.out_proj = nn.Linear(width, width)
        self.heads = heads
        self.sdpa = sdpa
        self.scale = (width // heads) ** -0.5

    def forward(self, x, mask):
        b, t, e = x.shape

        def split(y):
            return y.view(b, t, self.heads, e // self.heads).transpose(1, 2)

        q, k, v = split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x))
        if self.sdpa:
            context = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # scales by head size ** -0.5
        else:
            scores = (q * self.scale) @ k.transpose(-1, -2)
            if mask is not None:
                scores = scores + mask
            context = scores.softmax(-1) @ v
        return self.out_proj(context.transpose(1, 2).reshape(b, t, e))


class Mlp(nn.Module):
    def __init__(self, width, hidden, activation):
        super().__init__()
        self.fc1 = nn.Linear(width, hidden)
        self.fc2 = nn.Linear(hidden, width)
        self.activation = activation

    def forward(self, x):
        h = self.fc1(x)
        h = h * torch.sigmoid(1.702 * h) if self.activation == "quick_gelu" else F.gelu(h)
        return self.fc2(h)


class EncoderLayer(nn.Module):
    """Pre-LN: x + attn(ln1(x)), then x + mlp(ln2(x))."""

    def __init__(self, c, sdpa):
        super().__init__()
        width = c["hidden_size"]
        self.self_attn = Attention(width, c["num_attention_heads"], sdpa)
        self.layer_norm1 = nn.LayerNorm(width, eps=c.get("layer_norm_eps", 1e-5))
        self.mlp = Mlp(width, c["intermediate_size"], c.get("hidden_act", "quick_gelu"))
        self.layer_norm2 = nn.LayerNorm(width, eps=c.get("layer_norm_eps", 1e-5))

    def forward(self, x, mask):
        x = x + self.self_attn(self.layer_norm1(x), mask)
        return x + self.mlp(self.layer_norm2(x))


class Encoder(nn.Module):
    def __init__(self, c, sdpa):
        super().__init__()
        self.layers = nn.ModuleList(EncoderLayer(c, sdpa) for _ in range(c["num_hidden_layers"]))

    def forward(self, x, mask):
        for layer in self.layers:
            x = layer(x, mask)
        return x


class TextEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.token_embedding = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.position_embedding = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])

    def forward(self, ids):
        return self.token_embedding(ids) + self.position_embedding.weight[:ids.shape[1]]


class TextTransformer(nn.Module):
    def __init__(self, c, sdpa):
        super().__init__()
        self.embeddings = TextEmbeddings(c)
        self.encoder = Encoder(c, sdpa)
        self.final_layer_norm = nn.LayerNorm(c["hidden_size"], eps=c.get("layer_norm_eps", 1e-5))
        self.eos_token_id = c["eos_token_id"]

    def forward(self, ids, lengths):
        b, t = ids.shape
        # a position sees itself and earlier ones, never padding (as transformers' causal + padding masks)
        positions = torch.arange(t)
        allowed = (positions[None, :] <= positions[:, None])[None] & (positions[None, None, :] < lengths[:, None, None])
        mask = torch.zeros(b, 1, t, t).masked_fill_(~allowed[:, None], float("-inf"))
        h = self.final_layer_norm(self.encoder(self.embeddings(ids), mask))
        # pooling at the end token: the first eos_token_id, or the largest id for legacy configs (eos_token_id 2)
        end = ids.argmax(-1) if self.eos_token_id == 2 else (ids == self.eos_token_id).int().argmax(-1)
        return h[torch.arange(b), end]


class VisionEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        width, patch = c["hidden_size"], c["patch_size"]
        self.class_embedding = nn.Parameter(torch.zeros(width))
        self.patch_embedding = nn.Conv2d(c.get("num_channels", 3), width, patch, stride=patch, bias=False)
        self.position_embedding = nn.Embedding((c["image_size"] // patch) ** 2 + 1, width)

    def forward(self, pixels):
        patches = self.patch_embedding(pixels).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(pixels.shape[0], 1, -1)
        return torch.cat([cls, patches], dim=1) + self.position_embedding.weight


class VisionTransformer(nn.Module):
    def __init__(self, c, sdpa):
        super().__init__()
        self.embeddings = VisionEmbeddings(c)
        self.pre_layrnorm = nn.LayerNorm(c["hidden_size"], eps=c.get("layer_norm_eps", 1e-5))
        self.encoder = Encoder(c, sdpa)
        self.post_layernorm = nn.LayerNorm(c["hidden_size"], eps=c.get("layer_norm_eps", 1e-5))

    def forward(self, pixels):
        h = self.encoder(self.pre_layrnorm(self.embeddings(pixels)), None)
        return self.post_layernorm(h[:, 0])


class Clip(nn.Module):
    MAX_LOGIT_SCALE = math.log(100)

    def __init__(self, config, sdpa=True):
        super().__init__()
        t, v = config["text_config"], config["vision_config"]
        self.text_model = TextTransformer(t, sdpa)
        self.vision_model = VisionTransformer(v, sdpa)
        self.visual_projection = nn.Linear(v["hidden_size"], config["projection_dim"], bias=False)
        self.text_projection = nn.Linear(t["hidden_size"], config["projection_dim"], bias=False)
        self.logit_scale = nn.Parameter(torch.tensor(float(config.get("logit_scale_init_value", math.log(1 / 0.07)))))

    def encode_image(self, pixels):
        return F.normalize(self.visual_projection(self.vision_model(pixels)), dim=-1)

    def encode_text(self, ids, lengths):
        return F.normalize(self.text_projection(self.text_model(ids, lengths)), dim=-1)

    def scale(self):
        return self.logit_scale.clamp(max=self.MAX_LOGIT_SCALE).exp()


def load_model(path, sdpa):
    with zipfile.ZipFile(path) as z:
        config = json.loads(z.read("config.json"))
        weights = read_safetensors(z.read("model.safetensors"))
        preprocessor = json.loads(z.read("preprocessor_config.json"))
    model = Clip(config, sdpa)
    weights["logit_scale"] = weights["logit_scale"].reshape(())
    model.load_state_dict(weights, strict=True)
    return model, config, preprocessor


# ---------------------------------------------------------------------------------------------------------------
# the recipe

def soft_targets(keys):
    """Row i spreads 1 evenly over the pairs whose key equals key i (the diagonal when all keys differ)."""
    equal = (keys[:, None] == keys[None, :]).float()
    return equal / equal.sum(1, keepdim=True)


def encode_captions(model, ids, lengths, distinct=True):
    """Text embeddings of a batch's captions. As Fiji CLIP's ClipModel.encodeTexts, a caption that repeats is encoded
    once and its row repeated (class folders captioned by templates repeat captions); distinct=False encodes every
    row, as a plain CLIP training loop does."""
    if not distinct:
        return model.encode_text(ids, lengths)
    once, inverse = torch.unique(ids, dim=0, return_inverse=True)
    once_lengths = torch.zeros(once.shape[0], dtype=lengths.dtype).scatter_(0, inverse, lengths)
    return model.encode_text(once, once_lengths)[inverse]


def contrastive_loss(logits, targets):
    """Mean of the image-to-text and text-to-image cross-entropies with (soft) targets."""
    n = logits.shape[0]
    image_to_text = -(logits.log_softmax(1) * targets).sum()
    text_to_image = -(logits.t().log_softmax(1) * targets.t()).sum()
    return (image_to_text + text_to_image) / (2 * n)


def decay_groups(model):
    """Names of the weights that get weight decay (Linear and Conv2d weights) and of the others."""
    decayed, other = [], []
    for module_name, module in model.named_modules():
        for name, _ in module.named_parameters(recurse=False):
            full = f"{module_name}.{name}" if module_name else name
            (decayed if isinstance(module, (nn.Linear, nn.Conv2d)) and name == "weight" else other).append(full)
    return decayed, other


def adamw(model, meta, **implementation):
    decayed, _ = decay_groups(model)
    params = dict(model.named_parameters())
    groups = [{"params": [p for n, p in params.items() if n in decayed], "weight_decay": meta["weight_decay"]},
              {"params": [p for n, p in params.items() if n not in decayed], "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=meta["learning_rate"], betas=tuple(meta["betas"]), eps=meta["eps"],
                             **implementation)


def write_result(result, path):
    """The result as indented JSON into path, or on standard output when path is None."""
    text = json.dumps(result, indent=1)
    if path:
        with open(path, "w") as f:
            f.write(text)
    else:
        print(text)
