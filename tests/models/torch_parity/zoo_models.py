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
