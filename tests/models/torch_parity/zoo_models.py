"""PyTorch versions of the zoo models that have no torchvision / torch_peer counterpart, written
from the papers, d2l and the lab reports, with module keys equal to the TF.js layer names (dots
as underscores) so weights map one to one. Used by parity.py."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Zoo(nn.Module):
    """A bag of named layers; subclasses write forward() top to bottom."""

    def __init__(self):
        super().__init__()
        self.m = nn.ModuleDict()

    def add(self, name, module):
        self.m[name.replace(".", "_")] = module
        return module

    def conv(self, name, cin, cout, k, s=1, p=0, bias=True, groups=1):
        return self.add(name, nn.Conv2d(cin, cout, k, s, p, bias=bias, groups=groups))

    def bn(self, name, c):
        return self.add(name, nn.BatchNorm2d(c))

    def fc(self, name, cin, cout):
        return self.add(name, nn.Linear(cin, cout))

    def __getitem__(self, name):
        return self.m[name.replace(".", "_")]


def flat(x):
    return torch.flatten(x, 1)


class LeNetLike(Zoo):  # lenet5 (sigmoid, avg pool, no BN) and net (ReLU, max pool, no padding)
    def __init__(self, act, pool, padding, cin, flat_in, classes):
        super().__init__()
        self.act, self.pool = act, pool
        self.conv("features.conv1", cin, 6, 5, p=padding)
        self.conv("features.conv2", 6, 16, 5)
        for i, (a, b) in enumerate([(flat_in, 120), (120, 84), (84, classes)]):
            self.fc(f"classifier.fc{i + 1}", a, b)

    def forward(self, x):
        for i in (1, 2):
            x = self.pool(self.act(self[f"features.conv{i}"](x)), 2)
        x = self.act(self["classifier.fc1"](flat(x)))
        return self["classifier.fc3"](self.act(self["classifier.fc2"](x)))


class AlexNetLike(Zoo):  # alexnet_small (lab 000) and alexnet_d2l, optional LRN after conv1, conv2
    def __init__(self, convs, cin, flat_in, classes, lrn):
        super().__init__()
        self.convs, self.lrn = convs, nn.LocalResponseNorm(5, 1e-4, 0.75, 2) if lrn else None
        for i, (c, k, s, p, _) in enumerate(convs):
            self.conv(f"features.conv{i + 1}", cin, c, k, s, p)
            cin = c
        for i, (a, b) in enumerate([(flat_in, 4096), (4096, 4096), (4096, classes)]):
            self.fc(f"classifier.fc{i + 1}", a, b)

    def forward(self, x):
        for i, (_, _, _, _, pool) in enumerate(self.convs):
            x = F.relu(self[f"features.conv{i + 1}"](x))
            if self.lrn is not None and i < 2:
                x = self.lrn(x)
            if pool:
                x = F.max_pool2d(x, 3, 2)
        x = F.relu(self["classifier.fc1"](flat(x)))
        return self["classifier.fc3"](F.relu(self["classifier.fc2"](x)))


class NiN(Zoo):
    def __init__(self, cin, classes):
        super().__init__()
        specs = [(96, 11, 4, 0), (256, 5, 1, 2), (384, 3, 1, 1)]
        for b, (c, k, s, p) in enumerate(specs):
            self.block(f"features.block{b + 1}", cin, c, k, s, p)
            cin = c
        self.block("classifier.block", cin, classes, 3, 1, 1)

    def block(self, p, cin, c, k, s, pad):
        self.conv(f"{p}.conv1", cin, c, k, s, pad)
        self.conv(f"{p}.conv2", c, c, 1)
        self.conv(f"{p}.conv3", c, c, 1)

    def run(self, p, x):
        for i in (1, 2, 3):
            x = F.relu(self[f"{p}.conv{i}"](x))
        return x

    def forward(self, x):
        for b in (1, 2, 3):
            x = F.max_pool2d(self.run(f"features.block{b}", x), 3, 2)
        return flat(F.adaptive_avg_pool2d(self.run("classifier.block", x), 1))


INCEPTION = [
    [(64, (96, 128), (16, 32), 32), (128, (128, 192), (32, 96), 64)],
    [(192, (96, 208), (16, 48), 64), (160, (112, 224), (24, 64), 64), (128, (128, 256), (24, 64), 64),
     (112, (144, 288), (32, 64), 64), (256, (160, 320), (32, 128), 128)],
    [(256, (160, 320), (32, 128), 128), (384, (192, 384), (48, 128), 128)],
]


class GoogLeNet(Zoo):  # d2l's, with the paper's LRN
    def __init__(self, cin, classes):
        super().__init__()
        self.lrn = nn.LocalResponseNorm(5, 1e-4, 0.75, 2)
        self.conv("b1.conv", cin, 64, 7, 2, 3)
        self.conv("b2.conv1", 64, 64, 1)
        self.conv("b2.conv2", 64, 192, 3, p=1)
        c = 192
        for s, blocks in enumerate(INCEPTION):
            for i, (c1, c2, c3, c4) in enumerate(blocks):
                p = f"b{s + 3}.inception{i + 1}"
                self.conv(f"{p}.p1.conv", c, c1, 1)
                self.conv(f"{p}.p2.reduce", c, c2[0], 1)
                self.conv(f"{p}.p2.conv", c2[0], c2[1], 3, p=1)
                self.conv(f"{p}.p3.reduce", c, c3[0], 1)
                self.conv(f"{p}.p3.conv", c3[0], c3[1], 5, p=2)
                self.conv(f"{p}.p4.conv", c, c4, 1)
                c = c1 + c2[1] + c3[1] + c4
        self.fc("head.fc", c, classes)

    def inception(self, p, x):
        r = lambda n, y: F.relu(self[n](y))
        return torch.cat([
            r(f"{p}.p1.conv", x),
            r(f"{p}.p2.conv", r(f"{p}.p2.reduce", x)),
            r(f"{p}.p3.conv", r(f"{p}.p3.reduce", x)),
            r(f"{p}.p4.conv", F.max_pool2d(x, 3, 1, 1)),
        ], 1)

    def forward(self, x):
        pool = lambda y: F.max_pool2d(y, 3, 2, 1)
        x = self.lrn(pool(F.relu(self["b1.conv"](x))))
        x = F.relu(self["b2.conv1"](x))
        x = pool(self.lrn(F.relu(self["b2.conv2"](x))))
        for s, blocks in enumerate(INCEPTION):
            for i in range(len(blocks)):
                x = self.inception(f"b{s + 3}.inception{i + 1}", x)
            if s < 2:
                x = pool(x)
        return self["head.fc"](flat(F.adaptive_avg_pool2d(x, 1)))


class CifarResNet(Zoo):  # He et al. §4.2; shortcut A (zero-padded identity) or B; optional SE
    def __init__(self, depth, shortcut, reduction, classes):
        super().__init__()
        self.n, self.shortcut, self.se = (depth - 2) // 6, shortcut, reduction
        self.conv("stem.conv", 3, 16, 3, p=1, bias=False)
        self.bn("stem.bn", 16)
        cin = 16
        for s, c in enumerate([16, 32, 64]):
            for b in range(self.n):
                p, stride = f"layer{s + 1}.block{b}", 2 if s > 0 and b == 0 else 1
                self.conv(f"{p}.conv1", cin, c, 3, stride, 1, bias=False)
                self.bn(f"{p}.bn1", c)
                self.conv(f"{p}.conv2", c, c, 3, 1, 1, bias=False)
                self.bn(f"{p}.bn2", c)
                if reduction:
                    self.fc(f"{p}.se.fc1", c, max(1, c // reduction))
                    self.fc(f"{p}.se.fc2", max(1, c // reduction), c)
                if shortcut == "B" and (stride != 1 or cin != c):
                    self.conv(f"{p}.shortcut.conv", cin, c, 1, stride, bias=False)
                    self.bn(f"{p}.shortcut.bn", c)
                cin = c
        self.fc("head.fc", 64, classes)

    def forward(self, x):
        x = F.relu(self["stem.bn"](self["stem.conv"](x)))
        for s, c in enumerate([16, 32, 64]):
            for b in range(self.n):
                p, stride = f"layer{s + 1}.block{b}", 2 if s > 0 and b == 0 else 1
                y = F.relu(self[f"{p}.bn1"](self[f"{p}.conv1"](x)))
                y = self[f"{p}.bn2"](self[f"{p}.conv2"](y))
                if self.se:
                    g = F.adaptive_avg_pool2d(y, 1).flatten(1)
                    g = torch.sigmoid(self[f"{p}.se.fc2"](F.relu(self[f"{p}.se.fc1"](g))))
                    y = y * g[:, :, None, None]
                if stride == 1 and x.shape[1] == c:
                    sc = x
                elif self.shortcut == "B":
                    sc = self[f"{p}.shortcut.bn"](self[f"{p}.shortcut.conv"](x))
                else:
                    extra = c - x.shape[1]
                    sc = F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, extra // 2, extra - extra // 2))
                x = F.relu(y + sc)
        return self["head.fc"](flat(F.adaptive_avg_pool2d(x, 1)))


class SimpleDenseNet(Zoo):  # lab report 001
    def __init__(self, classes, blocks=(3, 3, 3), k=12, trans=(128, 64)):
        super().__init__()
        self.blocks = blocks
        self.conv("stem.conv", 3, 64, 7, 2, 3, bias=False)
        c = 64
        for i, n in enumerate(blocks):
            for j in range(n):
                self.bn(f"block{i + 1}.layer{j + 1}.bn1", c)
                self.conv(f"block{i + 1}.layer{j + 1}.conv2", c, k, 3, p=1, bias=False)
                c += k
            if i < len(blocks) - 1:
                self.bn(f"transition{i + 1}.bn", c)
                self.conv(f"transition{i + 1}.conv", c, trans[i], 1, bias=False)
                c = trans[i]
        self.fc("head.fc", c, classes)

    def forward(self, x):
        x = F.max_pool2d(self["stem.conv"](x), 3, 2, 1)
        for i, n in enumerate(self.blocks):
            for j in range(n):
                p = f"block{i + 1}.layer{j + 1}"
                x = torch.cat([x, self[f"{p}.conv2"](F.relu(self[f"{p}.bn1"](x)))], 1)
            if i < len(self.blocks) - 1:
                y = self[f"transition{i + 1}.conv"](F.relu(self[f"transition{i + 1}.bn"](x)))
                x = F.avg_pool2d(y, 2)
        return self["head.fc"](flat(F.adaptive_avg_pool2d(x, 1)))


V1 = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1),
      (512, 1), (512, 1), (1024, 2), (1024, 1)]


class MobileNetV1(Zoo):  # symmetric padding as in PyTorch implementations (lab report 000)
    def __init__(self, cin, classes, blocks=13, upsample=1, pool=None, flat_in=1024):
        super().__init__()
        self.blocks, self.upsample, self.pool = blocks, upsample, pool
        self.conv("stem.conv", cin, 32, 3, 2, 1, bias=False)
        self.bn("stem.bn", 32)
        c = 32
        for i, (o, s) in enumerate(V1[:blocks]):
            self.conv(f"block{i + 1}.dw", c, c, 3, s, 1, bias=False, groups=c)
            self.bn(f"block{i + 1}.dw_bn", c)
            self.conv(f"block{i + 1}.pw", c, o, 1, bias=False)
            self.bn(f"block{i + 1}.pw_bn", o)
            c = o
        self.fc("head.fc", flat_in, classes)

    def forward(self, x):
        if self.upsample > 1:
            x = F.interpolate(x, scale_factor=self.upsample, mode="bilinear", align_corners=False)
        x = F.relu6(self["stem.bn"](self["stem.conv"](x)))
        for i in range(self.blocks):
            x = F.relu6(self[f"block{i + 1}.dw_bn"](self[f"block{i + 1}.dw"](x)))
            x = F.relu6(self[f"block{i + 1}.pw_bn"](self[f"block{i + 1}.pw"](x)))
        x = F.adaptive_avg_pool2d(x, 1) if self.pool is None else F.avg_pool2d(x, self.pool)
        return self["head.fc"](flat(x))


class LabCNN(Zoo):  # lab report 002's CNN: conv → dropout → BN → ReLU units
    def __init__(self, classes, channels=(128, 256, 512), fc=(256,)):
        super().__init__()
        self.channels = channels
        self.unit("stem", 3, 64, 5, 2)
        c = 64
        for i, o in enumerate(channels):
            self.unit(f"layer{i + 1}.unit1", c, o, 3, 1)
            self.unit(f"layer{i + 1}.unit2", o, o, 3, 1)
            c = o
        dims = [c, *fc, classes]
        for i in range(len(dims) - 1):
            self.fc(f"head.fc{i + 1}", dims[i], dims[i + 1])
        self.n_fc = len(dims) - 1

    def unit(self, p, cin, cout, k, pad):
        self.conv(f"{p}.conv", cin, cout, k, p=pad)
        self.bn(f"{p}.bn", cout)

    def run(self, p, x):
        return F.relu(self[f"{p}.bn"](self[f"{p}.conv"](x)))

    def forward(self, x):
        x = F.max_pool2d(self.run("stem", x), 3, 2, 1)
        for i in range(len(self.channels)):
            x = F.max_pool2d(self.run(f"layer{i + 1}.unit2", self.run(f"layer{i + 1}.unit1", x)), 2)
        x = flat(F.adaptive_avg_pool2d(x, 1))
        for i in range(1, self.n_fc):
            x = F.relu(self[f"head.fc{i}"](x))
        return self[f"head.fc{self.n_fc}"](x)


class LabResNet(Zoo):  # lab report 002's ResNet: 1×1 conv + BN skip in every block
    def __init__(self, classes, blocks=(64, 128, 128, 256, 256)):
        super().__init__()
        self.blocks = blocks
        self.conv("stem.conv", 3, 64, 5, p=2)
        self.bn("stem.bn", 64)
        c = 64
        for i, o in enumerate(blocks):
            s = 1 if o == c else 2
            p = f"layer{i + 1}"
            self.conv(f"{p}.conv0", c, o, 3, s, 1)
            self.bn(f"{p}.bn0", o)
            self.conv(f"{p}.conv1", o, o, 3, 1, 1)
            self.bn(f"{p}.bn1", o)
            self.conv(f"{p}.skip.conv", c, o, 1, s)
            self.bn(f"{p}.skip.bn", o)
            c = o
        self.fc("head.fc", c, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self["stem.bn"](self["stem.conv"](x))), 3, 2, 1)
        for i in range(len(self.blocks)):
            p = f"layer{i + 1}"
            y = F.relu(self[f"{p}.bn0"](self[f"{p}.conv0"](x)))
            y = self[f"{p}.bn1"](self[f"{p}.conv1"](y))
            x = F.relu(y + self[f"{p}.skip.bn"](self[f"{p}.skip.conv"](x)))
        return self["head.fc"](flat(F.adaptive_avg_pool2d(x, 1)))


SMALL_ALEXNET = [(96, 11, 1, 6, True), (256, 5, 1, 2, True), (384, 3, 1, 1, False), (384, 3, 1, 1, False),
                 (256, 3, 1, 1, True)]
D2L_ALEXNET = [(96, 11, 4, 1, True), (256, 5, 1, 2, True), (384, 3, 1, 1, False), (384, 3, 1, 1, False),
               (256, 3, 1, 1, True)]

ZOO = {
    "zoo_lenet5": lambda c: LeNetLike(torch.sigmoid, F.avg_pool2d, 2, 1, 400, c),
    "zoo_net": lambda c: LeNetLike(F.relu, F.max_pool2d, 0, 3, 400, c),
    "zoo_alexnet_small": lambda c: AlexNetLike(SMALL_ALEXNET, 1, 1024, c, False),
    "zoo_alexnet_d2l": lambda c: AlexNetLike(D2L_ALEXNET, 1, 256, c, True),
    "zoo_nin": lambda c: NiN(1, c),
    "zoo_googlenet": lambda c: GoogLeNet(1, c),
    "zoo_resnet_cifar": lambda c: CifarResNet(20, "A", 0, c),
    "zoo_se_resnet": lambda c: CifarResNet(14, "B", 16, c),
    "zoo_densenet_simple": lambda c: SimpleDenseNet(c),
    "zoo_mobilenet_v1": lambda c: MobileNetV1(3, c),
    "zoo_mobilenet_v1_lab": lambda c: MobileNetV1(1, c, blocks=7, upsample=2, pool=2, flat_in=512 * 4),
    "zoo_cnn": lambda c: LabCNN(c),
    "zoo_resnet_dropout": lambda c: LabResNet(c),
}


# ---------------------------------------------------------------------------------------------
# Twins of the zoo families built from their resolved options (tasks/models/*.ts), for the bench
# (tasks/bench/torch_bench.py): the same layers, widths and parameter counts as the TF.js model a
# config trains, written as PyTorch users write them (padding on the conv, NCHW, F.* activations).
# TWINS[name](options, (c, h, w), classes) builds one; unsupported options raise ValueError.
# ---------------------------------------------------------------------------------------------


def act_fn(kind):
    return {"relu": F.relu, "relu6": F.relu6, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
            "linear": lambda x: x}[kind]


class Twin(Zoo):
    """A zoo twin: `norm(name, c)` is BatchNorm2d or, with normalization "none", the identity."""

    def __init__(self, o):
        super().__init__()
        self.o = o
        self.batch = o.get("normalization", "none") == "batch"

    def norm(self, name, c):
        return self.bn(name, c) if self.batch else self.add(name, nn.Identity())

    def drop(self, x, rate):
        return F.dropout(x, rate, self.training) if rate > 0 else x

    def head(self, prefix, cin, hidden, classes, rate, at, act="relu"):
        """The fully connected head of tasks/models/_classifier.ts (`at`: dropout before/after)."""
        self.head_spec = (prefix, len(hidden), rate, at, act_fn(act))
        for i, units in enumerate(list(hidden) + [classes]):
            self.fc(f"{prefix}.fc{i + 1}", cin, units)
            cin = units

    def run_head(self, x):
        prefix, n, rate, at, act = self.head_spec
        for i in range(n):
            if at == "before":
                x = self.drop(x, rate)
            x = act(self[f"{prefix}.fc{i + 1}"](x))
            if at == "after":
                x = self.drop(x, rate)
        return self[f"{prefix}.fc{n + 1}"](x)


def flat_size(features, shape):
    """Features the bound method `features` yields for one image of `shape` (c, h, w), flattened
    (in eval mode: batch norm of one image would fail on 1×1 maps)."""
    module, was = features.__self__, features.__self__.training
    module.eval()
    with torch.no_grad():
        n = int(features(torch.zeros(1, *shape)).numel())
    module.train(was)
    return n


class LenetTwin(Twin):  # lenet, lenet5, net
    def __init__(self, o, shape, classes):
        super().__init__(o)
        cin = shape[0]
        for i, c in enumerate(o["channels"]):
            self.conv(f"features.conv{i + 1}", cin, c, 5, p=o["padding"] if i == 0 else 0)
            self.norm(f"features.bn{i + 1}", c)
            cin = c
        self.head("classifier", flat_size(self.features, shape), o["fc_units"], classes,
                  o["fc_dropout"], "after", o["fc_activation"])

    def features(self, x):
        o, act = self.o, act_fn(self.o["activation"])
        pool = F.max_pool2d if o["pool"] == "max" else F.avg_pool2d
        for i in range(len(o["channels"])):
            x = act(self[f"features.bn{i + 1}"](self[f"features.conv{i + 1}"](x)))
            x = self.drop(pool(x, 2), o["conv_dropout"])
        return flat(x)

    def forward(self, x):
        return self.run_head(self.features(x))


ALEXNET_CONVS = {"alexnet": [(64, 11, 4, 2, True), (192, 5, 1, 2, True), (384, 3, 1, 1, False),
                             (256, 3, 1, 1, False), (256, 3, 1, 1, True)],
                 "alexnet_d2l": D2L_ALEXNET, "alexnet_small": SMALL_ALEXNET}


class AlexnetTwin(Twin):
    def __init__(self, o, shape, classes):
        super().__init__(o)
        self.convs = [(max(1, round(f * o["width"])), k, s, p, pool)
                      for f, k, s, p, pool in ALEXNET_CONVS[o["name"]]]
        self.lrn = nn.LocalResponseNorm(5, 1e-4, 0.75, 2) if o["lrn"] else None
        cin = shape[0]
        for i, (c, k, s, p, _) in enumerate(self.convs):
            self.conv(f"features.conv{i + 1}", cin, c, k, s, p)
            self.norm(f"features.conv{i + 1}.bn", c)
            cin = c
        at = "before" if o["name"] == "alexnet" else "after"
        self.head("classifier", flat_size(self.features, shape), o["fc_units"], classes,
                  o["fc_dropout"], at)

    def features(self, x):
        for i, (_, _, _, _, pool) in enumerate(self.convs):
            p = f"features.conv{i + 1}"
            x = F.relu(self[f"{p}.bn"](self[p](x)))
            if self.lrn is not None and i < 2:
                x = self.lrn(x)
            if pool:
                x = F.max_pool2d(x, 3, 2)
            x = self.drop(x, self.o["conv_dropout"])
        return flat(x)

    def forward(self, x):
        return self.run_head(self.features(x))


VGG_BLOCKS = {11: [[64], [128], [256, 256], [512, 512], [512, 512]],
              13: [[64, 64], [128, 128], [256, 256], [512, 512], [512, 512]],
              16: [[64, 64], [128, 128], [256] * 3, [512] * 3, [512] * 3],
              19: [[64, 64], [128, 128], [256] * 4, [512] * 4, [512] * 4]}


class VggTwin(Twin):  # vgg, vgg_small
    def __init__(self, o, shape, classes):
        super().__init__(o)
        self.blocks = o.get("blocks") or VGG_BLOCKS[o["depth"]]
        cin = shape[0]
        for b, widths in enumerate(self.blocks):
            for i, c in enumerate(widths):
                self.conv(f"features.block{b + 1}.conv{i + 1}", cin, c, 3, p=1)
                self.norm(f"features.block{b + 1}.bn{i + 1}", c)
                cin = c
        at = "before" if o["name"] == "vgg_small" else "after"
        self.head("classifier", flat_size(self.features, shape), o["fc_units"], classes,
                  o["fc_dropout"], at)

    def features(self, x):
        for b, widths in enumerate(self.blocks):
            p = f"features.block{b + 1}"
            for i in range(len(widths)):
                x = F.relu(self[f"{p}.bn{i + 1}"](self[f"{p}.conv{i + 1}"](x)))
            x = self.drop(F.max_pool2d(x, 2), self.o["conv_dropout"])
        return flat(x)

    def forward(self, x):
        return self.run_head(self.features(x))


class ResidualTwin(Twin):
    """Basic and bottleneck blocks of tasks/models/_residual.ts (shortcut A or B, optional SE)."""

    def block(self, p, cin, filters, stride, bias, bottleneck, shortcut="B", se=0):
        out = filters * 4 if bottleneck else filters
        if bottleneck:
            self.conv(f"{p}.conv1", cin, filters, 1, bias=bias)
            self.norm(f"{p}.bn1", filters)
            self.conv(f"{p}.conv2", filters, filters, 3, stride, 1, bias=bias)
            self.norm(f"{p}.bn2", filters)
            self.conv(f"{p}.conv3", filters, out, 1, bias=bias)
            self.norm(f"{p}.bn3", out)
        else:
            self.conv(f"{p}.conv1", cin, filters, 3, stride, 1, bias=bias)
            self.norm(f"{p}.bn1", filters)
            self.conv(f"{p}.conv2", filters, filters, 3, 1, 1, bias=bias)
            self.norm(f"{p}.bn2", filters)
        if se:
            self.fc(f"{p}.se.fc1", out, max(1, out // se))
            self.fc(f"{p}.se.fc2", max(1, out // se), out)
        if shortcut == "B" and (stride != 1 or cin != out):
            self.conv(f"{p}.shortcut.conv", cin, out, 1, stride, bias=bias)
            self.norm(f"{p}.shortcut.bn", out)
        return (p, stride, bottleneck, shortcut, se, out)

    def run_block(self, spec, x, rate):
        p, stride, bottleneck, shortcut, se, out = spec
        y = F.relu(self[f"{p}.bn1"](self[f"{p}.conv1"](x)))
        if bottleneck:
            y = F.relu(self[f"{p}.bn2"](self[f"{p}.conv2"](y)))
            y = self.drop(y, rate)
            y = self[f"{p}.bn3"](self[f"{p}.conv3"](y))
        else:
            y = self.drop(y, rate)
            y = self[f"{p}.bn2"](self[f"{p}.conv2"](y))
        if se:
            g = F.adaptive_avg_pool2d(y, 1).flatten(1)
            g = torch.sigmoid(self[f"{p}.se.fc2"](F.relu(self[f"{p}.se.fc1"](g))))
            y = y * g[:, :, None, None]
        if stride == 1 and x.shape[1] == out:
            sc = x
        elif shortcut == "B":
            sc = self[f"{p}.shortcut.bn"](self[f"{p}.shortcut.conv"](x))
        else:
            extra = out - x.shape[1]
            sc = F.pad(x[:, :, ::stride, ::stride], (0, 0, 0, 0, extra // 2, extra - extra // 2))
        return F.relu(y + sc)


RESNET_STAGES = {18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 50: [3, 4, 6, 3], 101: [3, 4, 23, 3],
                 152: [3, 8, 36, 3]}


class ResnetTwin(ResidualTwin):
    def __init__(self, o, shape, classes):
        super().__init__(o)
        bias, width = o["conv_bias"], o["width"]
        self.conv("stem.conv", shape[0], width, 7, 2, 3, bias=bias)
        self.norm("stem.bn", width)
        cin, self.specs = width, []
        for stage, count in enumerate(o.get("blocks") or RESNET_STAGES[o["depth"]]):
            for b in range(count):
                spec = self.block(f"layer{stage + 1}.block{b}", cin, width * 2 ** stage,
                                  2 if stage > 0 and b == 0 else 1, bias, o["depth"] >= 50)
                self.specs.append(spec)
                cin = spec[-1]
        self.fc("head.fc", cin, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self["stem.bn"](self["stem.conv"](x))), 3, 2, 1)
        for spec in self.specs:
            x = self.run_block(spec, x, self.o["conv_dropout"])
        x = self.drop(flat(F.adaptive_avg_pool2d(x, 1)), self.o["fc_dropout"])
        return self["head.fc"](x)


class ResnetCifarTwin(ResidualTwin):  # resnet_cifar, se_resnet
    def __init__(self, o, shape, classes):
        super().__init__(o)
        widths, n = o["widths"], (o["depth"] - 2) // 6
        se = o.get("reduction", 0) if o["name"] == "se_resnet" else 0
        self.conv("stem.conv", shape[0], widths[0], 3, p=1, bias=False)
        self.norm("stem.bn", widths[0])
        cin, self.specs = widths[0], []
        for stage, c in enumerate(widths):
            for b in range(n):
                spec = self.block(f"layer{stage + 1}.block{b}", cin, c,
                                  2 if stage > 0 and b == 0 else 1, False, False,
                                  o["shortcut"], se)
                self.specs.append(spec)
                cin = c
        self.fc("head.fc", cin, classes)

    def forward(self, x):
        x = F.relu(self["stem.bn"](self["stem.conv"](x)))
        for spec in self.specs:
            x = self.run_block(spec, x, self.o["conv_dropout"])
        x = self.drop(flat(F.adaptive_avg_pool2d(x, 1)), self.o["fc_dropout"])
        return self["head.fc"](x)


DENSENET_CONFIGS = {121: ([6, 12, 24, 16], 32, 64), 169: ([6, 12, 32, 32], 32, 64),
                    201: ([6, 12, 48, 32], 32, 64), 161: ([6, 12, 36, 24], 48, 96)}


class DensenetTwin(Twin):  # densenet (BC), densenet_simple (lab report 001)
    def __init__(self, o, shape, classes):
        super().__init__(o)
        self.simple = o["name"] == "densenet_simple"
        if self.simple:
            blocks, k, init, bn_size = o["block_sizes"], o["growth_rate"], o["init_features"], 0
            self.stem = "simple"
        else:
            std = DENSENET_CONFIGS[o["depth"]]
            blocks = o.get("block_sizes") or std[0]
            k = o.get("growth_rate") or std[1]
            init = o.get("init_features") or std[2]
            bn_size, self.stem = o["bn_size"], o["stem"]
        self.conv("stem.conv", shape[0], init, 3 if self.stem == "cifar" else 7,
                  1 if self.stem == "cifar" else 2, 1 if self.stem == "cifar" else 3, bias=False)
        if self.stem == "imagenet":
            self.norm("stem.bn", init)
        c, self.layout = init, []
        for i, n in enumerate(blocks):
            for j in range(n):
                p = f"block{i + 1}.layer{j + 1}"
                self.norm(f"{p}.bn1", c)
                if bn_size > 0:
                    self.conv(f"{p}.conv1", c, bn_size * k, 1, bias=False)
                    self.norm(f"{p}.bn2", bn_size * k)
                self.conv(f"{p}.conv2", bn_size * k if bn_size > 0 else c, k, 3, p=1, bias=False)
                self.layout.append(("layer", p, bn_size > 0))
                c += k
            if i < len(blocks) - 1:
                out = o["transition_channels"][i] if self.simple else int(c * o["compression"])
                self.norm(f"transition{i + 1}.bn", c)
                self.conv(f"transition{i + 1}.conv", c, out, 1, bias=False)
                self.layout.append(("transition", f"transition{i + 1}", False))
                c = out
        if not self.simple:
            self.norm("head.bn", c)
        self.fc("head.fc", c, classes)

    def dense_features(self, x):
        """Stem, dense blocks and transitions: everything before the head."""
        x = self["stem.conv"](x)
        if self.stem == "imagenet":
            x = F.relu(self["stem.bn"](x))
        if self.stem != "cifar":
            x = F.max_pool2d(x, 3, 2, 1)
        for kind, p, bottleneck in self.layout:
            if kind == "transition":
                x = F.avg_pool2d(self[f"{p}.conv"](F.relu(self[f"{p}.bn"](x))), 2)
                continue
            y = F.relu(self[f"{p}.bn1"](x))
            if bottleneck:
                y = F.relu(self[f"{p}.bn2"](self[f"{p}.conv1"](y)))
            y = self.drop(self[f"{p}.conv2"](y), self.o["conv_dropout"])
            x = torch.cat([x, y], 1)
        return x

    def forward(self, x):
        x = self.dense_features(x)
        if not self.simple:
            x = F.relu(self["head.bn"](x))
        x = self.drop(flat(F.adaptive_avg_pool2d(x, 1)), self.o["fc_dropout"])
        return self["head.fc"](x)


class GooglenetTwin(Twin):
    def __init__(self, o, shape, classes):
        super().__init__(o)
        s = lambda c: max(1, round(c * o["width"]))
        self.lrn = nn.LocalResponseNorm(5, 1e-4, 0.75, 2) if o["lrn"] else None
        self.unit("b1.conv", shape[0], s(64), 7, 2, 3)
        self.unit("b2.conv1", s(64), s(64), 1)
        self.unit("b2.conv2", s(64), s(192), 3, p=1)
        c = s(192)
        for st, blocks in enumerate(INCEPTION):
            for i, (c1, c2, c3, c4) in enumerate(blocks):
                p = f"b{st + 3}.inception{i + 1}"
                self.unit(f"{p}.p1.conv", c, s(c1), 1)
                self.unit(f"{p}.p2.reduce", c, s(c2[0]), 1)
                self.unit(f"{p}.p2.conv", s(c2[0]), s(c2[1]), 3, p=1)
                self.unit(f"{p}.p3.reduce", c, s(c3[0]), 1)
                self.unit(f"{p}.p3.conv", s(c3[0]), s(c3[1]), 5, p=2)
                self.unit(f"{p}.p4.conv", c, s(c4), 1)
                c = s(c1) + s(c2[1]) + s(c3[1]) + s(c4)
        self.fc("head.fc", c, classes)

    def unit(self, name, cin, cout, k, s=1, p=0):
        self.conv(name, cin, cout, k, s, p)
        self.norm(f"{name}.bn", cout)

    def run(self, name, x):
        return F.relu(self[f"{name}.bn"](self[name](x)))

    def pool(self, x):
        return self.drop(F.max_pool2d(x, 3, 2, 1), self.o["conv_dropout"])

    def forward(self, x):
        lrn = self.lrn or (lambda y: y)
        x = lrn(self.pool(self.run("b1.conv", x)))
        x = self.run("b2.conv1", x)
        x = self.pool(lrn(self.run("b2.conv2", x)))
        for st, blocks in enumerate(INCEPTION):
            for i in range(len(blocks)):
                p = f"b{st + 3}.inception{i + 1}"
                x = torch.cat([
                    self.run(f"{p}.p1.conv", x),
                    self.run(f"{p}.p2.conv", self.run(f"{p}.p2.reduce", x)),
                    self.run(f"{p}.p3.conv", self.run(f"{p}.p3.reduce", x)),
                    self.run(f"{p}.p4.conv", F.max_pool2d(x, 3, 1, 1)),
                ], 1)
            if st < 2:
                x = self.pool(x)
        x = self.drop(flat(F.adaptive_avg_pool2d(x, 1)), self.o["fc_dropout"])
        return self["head.fc"](x)


class NinTwin(Twin):
    def __init__(self, o, shape, classes):
        super().__init__(o)
        c1, c2, c3 = o["channels"]
        cin = shape[0]
        for b, (c, k, s, p) in enumerate([(c1, 11, 4, 0), (c2, 5, 1, 2), (c3, 3, 1, 1)]):
            self.block(f"features.block{b + 1}", cin, c, k, s, p)
            cin = c
        self.block("classifier.block", cin, classes, 3, 1, 1)

    def block(self, p, cin, c, k, s, pad):
        for i, (a, kk, ss, pp) in enumerate([(cin, k, s, pad), (c, 1, 1, 0), (c, 1, 1, 0)]):
            self.conv(f"{p}.conv{i + 1}", a, c, kk, ss, pp)
            self.norm(f"{p}.bn{i + 1}", c)

    def run(self, p, x):
        for i in (1, 2, 3):
            x = F.relu(self[f"{p}.bn{i}"](self[f"{p}.conv{i}"](x)))
        return x

    def forward(self, x):
        for b in (1, 2, 3):
            x = self.drop(F.max_pool2d(self.run(f"features.block{b}", x), 3, 2),
                          self.o["conv_dropout"])
        x = self.run("classifier.block", self.drop(x, self.o["fc_dropout"]))
        return flat(F.adaptive_avg_pool2d(x, 1))


class MobilenetV1Twin(Twin):
    def __init__(self, o, shape, classes):
        super().__init__(o)
        w = lambda c: int(c * o["width"])
        self.conv("stem.conv", shape[0], w(32), 3, 2, 1, bias=False)
        self.norm("stem.bn", w(32))
        c = w(32)
        self.strides = []
        for i, (out, s) in enumerate(V1[:o["blocks"]]):
            self.conv(f"block{i + 1}.dw", c, c, 3, s, 1, bias=False, groups=c)
            self.norm(f"block{i + 1}.dw_bn", c)
            self.conv(f"block{i + 1}.pw", c, w(out), 1, bias=False)
            self.norm(f"block{i + 1}.pw_bn", w(out))
            c = w(out)
        self.fc("head.fc", flat_size(self.features, shape), classes)

    def features(self, x):
        o = self.o
        if o["upsample"] > 1:
            x = F.interpolate(x, scale_factor=o["upsample"], mode="bilinear", align_corners=False)
        x = F.relu6(self["stem.bn"](self["stem.conv"](x)))
        for i in range(o["blocks"]):
            x = F.relu6(self[f"block{i + 1}.dw_bn"](self[f"block{i + 1}.dw"](x)))
            x = F.relu6(self[f"block{i + 1}.pw_bn"](self[f"block{i + 1}.pw"](x)))
            x = self.drop(x, o["conv_dropout"])
        x = F.adaptive_avg_pool2d(x, 1) if o["pool"] == "global" else F.avg_pool2d(x, o["pool"])
        return flat(x)

    def forward(self, x):
        return self["head.fc"](self.drop(self.features(x), self.o["fc_dropout"]))


class CnnTwin(Twin):  # lab report 002's plain CNN: conv → dropout → BN → ReLU units
    def __init__(self, o, shape, classes):
        super().__init__(o)
        self.unit("stem", shape[0], o["stem_width"], 5, 2)
        c = o["stem_width"]
        for i, f in enumerate(o["channels"]):
            self.unit(f"layer{i + 1}.unit1", c, f, 3, 1)
            self.unit(f"layer{i + 1}.unit2", f, f, 3, 1)
            c = f
        self.head("head", c, o["fc_units"], classes, o["fc_dropout"], "before")

    def unit(self, p, cin, cout, k, pad):
        self.conv(f"{p}.conv", cin, cout, k, p=pad)
        self.norm(f"{p}.bn", cout)

    def run(self, p, x):
        return F.relu(self[f"{p}.bn"](self.drop(self[f"{p}.conv"](x), self.o["conv_dropout"])))

    def forward(self, x):
        x = F.max_pool2d(self.run("stem", x), 3, 2, 1)
        for i in range(len(self.o["channels"])):
            x = F.max_pool2d(self.run(f"layer{i + 1}.unit2", self.run(f"layer{i + 1}.unit1", x)), 2)
        return self.run_head(flat(F.adaptive_avg_pool2d(x, 1)))


class ResnetDropoutTwin(Twin):  # lab report 002's ResNet
    def __init__(self, o, shape, classes):
        super().__init__(o)
        self.conv("stem.conv", shape[0], o["stem_width"], 5, p=2)
        self.norm("stem.bn", o["stem_width"])
        c, self.specs = o["stem_width"], []
        for i, f in enumerate(o["blocks"]):
            p, s = f"layer{i + 1}", 1 if c == f else 2
            self.conv(f"{p}.conv0", c, f, 3, s, 1)
            self.norm(f"{p}.bn0", f)
            self.conv(f"{p}.conv1", f, f, 3, 1, 1)
            self.norm(f"{p}.bn1", f)
            self.conv(f"{p}.skip.conv", c, f, 1, s)
            self.norm(f"{p}.skip.bn", f)
            self.specs.append(p)
            c = f
        self.fc("head.fc", c, classes)

    def forward(self, x):
        r = self.o["conv_dropout"]
        x = F.relu(self["stem.bn"](self.drop(self["stem.conv"](x), r)))
        x = F.max_pool2d(x, 3, 2, 1)
        for p in self.specs:
            y = F.relu(self[f"{p}.bn0"](self.drop(self[f"{p}.conv0"](x), r)))
            y = self[f"{p}.bn1"](self[f"{p}.conv1"](y))
            x = F.relu(self.drop(y + self[f"{p}.skip.bn"](self[f"{p}.skip.conv"](x)), r))
        return self["head.fc"](self.drop(flat(F.adaptive_avg_pool2d(x, 1)), self.o["fc_dropout"]))


TWINS = {
    "lenet": LenetTwin, "lenet5": LenetTwin, "net": LenetTwin,
    "alexnet": AlexnetTwin, "alexnet_d2l": AlexnetTwin, "alexnet_small": AlexnetTwin,
    "vgg": VggTwin, "vgg_small": VggTwin,
    "resnet": ResnetTwin, "resnet_cifar": ResnetCifarTwin, "se_resnet": ResnetCifarTwin,
    "densenet": DensenetTwin, "densenet_simple": DensenetTwin,
    "googlenet": GooglenetTwin, "nin": NinTwin, "mobilenet_v1": MobilenetV1Twin,
    "cnn": CnnTwin, "resnet_dropout": ResnetDropoutTwin,
}


# ---------------------------------------------------------------------------------------------
# Lab report 000's LeNet layout (issue 16.5): `norm_order` and `fc_dropout_at`, which LenetTwin
# predates. With the defaults (norm_act everywhere, dropout after each hidden FC) it is LenetTwin.
# ---------------------------------------------------------------------------------------------


class LenetOrderTwin(LenetTwin):  # lenet, lenet5, net with norm_order / fc_dropout_at
    def orders(self):
        order, n = self.o.get("norm_order", "norm_act"), len(self.o["channels"])
        return [order] * n if isinstance(order, str) else list(order)

    def features(self, x):
        o, act = self.o, act_fn(self.o["activation"])
        pool = F.max_pool2d if o["pool"] == "max" else F.avg_pool2d
        for i, order in enumerate(self.orders()):
            x, bn = self[f"features.conv{i + 1}"](x), self[f"features.bn{i + 1}"]
            x = act(bn(x)) if order == "norm_act" else bn(act(x))
            x = self.drop(pool(x, 2), o["conv_dropout"])
        return flat(x)

    def forward(self, x):
        if self.o.get("fc_dropout_at", "hidden") != "output":
            return super().forward(x)
        prefix, n, rate, _, act = self.head_spec
        x = self.features(x)
        for i in range(n):
            x = act(self[f"{prefix}.fc{i + 1}"](x))
        # The lab's only Dropout follows the output Linear: it drops logits.
        return self.drop(self[f"{prefix}.fc{n + 1}"](x), rate)


TWINS.update({"lenet": LenetOrderTwin, "lenet5": LenetOrderTwin, "net": LenetOrderTwin})


# ---------------------------------------------------------------------------------------------
# Lab report 000's DenseNet (issue 16.6): `stem_bias`, `head_norm`, `fc_dropout_at` and
# `train_dense_layers`, which DensenetTwin predates. With `train_dense_layers: false` the dense
# layers live in a plain dict, as the lab's code kept them in a plain list: not parameters (the
# 705,290 count), never trained, and their BatchNorm never leaves training mode (eval() does not
# reach them). With the defaults it is DensenetTwin.
# ---------------------------------------------------------------------------------------------


class DensenetLabTwin(DensenetTwin):
    def __init__(self, o, shape, classes):
        super().__init__(o, shape, classes)
        self.unregistered = {}
        if self.simple:
            return
        if o.get("stem_bias", False):
            old = self["stem.conv"]
            self.add("stem.conv", nn.Conv2d(old.in_channels, old.out_channels, old.kernel_size,
                                            old.stride, old.padding, bias=True))
        if not o.get("head_norm", True):
            del self.m["head_bn"]
        if not o.get("train_dense_layers", True):
            for key in [k for k in self.m.keys() if k.startswith("block") and "_layer" in k]:
                self.unregistered[key] = self.m[key]
                del self.m[key]

    def __getitem__(self, name):
        key = name.replace(".", "_")
        return self.unregistered[key] if key in self.unregistered else self.m[key]

    def forward(self, x):
        o = self.o
        if self.simple:
            return super().forward(x)
        x = self.dense_features(x)
        if o.get("head_norm", True):
            x = F.relu(self["head.bn"](x))
        x = flat(F.adaptive_avg_pool2d(x, 1))
        if o.get("fc_dropout_at", "features") == "output":
            return self.drop(self["head.fc"](x), o["fc_dropout"])
        return self["head.fc"](self.drop(x, o["fc_dropout"]))


TWINS.update({"densenet": DensenetLabTwin, "densenet_simple": DensenetLabTwin})
