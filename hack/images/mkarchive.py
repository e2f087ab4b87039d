#!/usr/bin/env python3
"""Turns a root file system tar (as mmdebstrap writes it) into a docker-archive: the `docker save`
format that `docker load`, `ctr images import` and Jib's `tar://` base image read.

    mkarchive.py ROOTFS.tar IMAGE.json OUT.tar

IMAGE.json is the image's description in hack/images/<name>/: "tag" (the RepoTag) and "config" (the
OCI/Docker image config's "config" object: User, Env, Entrypoint, Cmd, WorkingDir, ExposedPorts,
Labels, StopSignal). The result has one uncompressed layer. Standard library only.

The layer is normalised so that the same root file system gives the same bytes: names without a
leading "./", times clamped to SOURCE_DATE_EPOCH, no device nodes (runtimes make /dev themselves and
an unprivileged unpacker could not create them), no /proc, /sys or /dev content.
"""
import datetime
import hashlib
import io
import json
import os
import sys
import tarfile
import tempfile

SKIP_CONTENT_UNDER = ("dev/", "proc/", "sys/", "run/", "tmp/")


class HashingWriter:
    """A file object that hashes what is written to it."""

    def __init__(self, raw):
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.sha.update(data)
        self.size += len(data)
        return self.raw.write(data)

    def flush(self):
        self.raw.flush()

    def tell(self):
        return self.size


def normalise_layer(rootfs_path, out, epoch):
    with tarfile.open(rootfs_path, "r:*") as src, tarfile.open(
        fileobj=out, mode="w|", format=tarfile.PAX_FORMAT
    ) as dst:
        for m in src:
            name = m.name
            while name.startswith("./"):
                name = name[2:]
            name = name.lstrip("/")
            if not name or name == ".":
                continue  # the root itself
            if m.ischr() or m.isblk() or m.isfifo():
                continue
            if any(name.startswith(p) for p in SKIP_CONTENT_UNDER):
                continue
            m.name = name
            if m.islnk():
                link = m.linkname
                while link.startswith("./"):
                    link = link[2:]
                m.linkname = link.lstrip("/")
            m.mtime = min(int(m.mtime), epoch)
            for key in ("mtime", "atime", "ctime"):
                m.pax_headers.pop(key, None)
            if m.isreg():
                dst.addfile(m, src.extractfile(m))
            else:
                dst.addfile(m)


def iso(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def add_bytes(tar, name, data, epoch):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = epoch
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    rootfs, desc_path, out_path = sys.argv[1:]
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    with open(desc_path) as f:
        desc = json.load(f)
    tag = desc["tag"]
    arch = os.environ.get("IMAGE_ARCH", "amd64")

    workdir = os.path.dirname(os.path.abspath(out_path))
    with tempfile.NamedTemporaryFile(dir=workdir, prefix=".layer-", delete=False) as raw:
        layer_tmp = raw.name
        hw = HashingWriter(raw)
        normalise_layer(rootfs, hw, epoch)
        raw.flush()
    try:
        diff_id = hw.sha.hexdigest()
        layer_size = os.path.getsize(layer_tmp)
        config = {
            "architecture": arch,
            "os": "linux",
            "created": iso(epoch),
            "config": desc.get("config", {}),
            "rootfs": {"type": "layers", "diff_ids": ["sha256:" + diff_id]},
            "history": [
                {
                    "created": iso(epoch),
                    "created_by": desc.get("created_by", "hack/images/build.sh (mmdebstrap, Debian packages)"),
                }
            ],
        }
        config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
        config_id = hashlib.sha256(config_bytes).hexdigest()
        layer_dir = diff_id  # one layer, so its diff ID names its folder
        repo, _, version = tag.rpartition(":")
        manifest = [{"Config": config_id + ".json", "RepoTags": [tag], "Layers": [layer_dir + "/layer.tar"]}]
        legacy = {"id": layer_dir, "created": iso(epoch), "os": "linux", "architecture": arch}

        tmp_out = out_path + ".tmp"
        with tarfile.open(tmp_out, "w", format=tarfile.PAX_FORMAT) as tar:
            d = tarfile.TarInfo(layer_dir)
            d.type = tarfile.DIRTYPE
            d.mode = 0o755
            d.mtime = epoch
            tar.addfile(d)
            add_bytes(tar, layer_dir + "/VERSION", b"1.0", epoch)
            add_bytes(tar, layer_dir + "/json", json.dumps(legacy, sort_keys=True).encode(), epoch)
            info = tarfile.TarInfo(layer_dir + "/layer.tar")
            info.size = layer_size
            info.mtime = epoch
            info.mode = 0o644
            with open(layer_tmp, "rb") as lf:
                tar.addfile(info, lf)
            add_bytes(tar, config_id + ".json", config_bytes, epoch)
            add_bytes(tar, "manifest.json", json.dumps(manifest, separators=(",", ":")).encode(), epoch)
            add_bytes(tar, "repositories", json.dumps({repo: {version: layer_dir}}).encode(), epoch)
        os.replace(tmp_out, out_path)
    finally:
        os.unlink(layer_tmp)
    print(
        json.dumps({"tag": tag, "config": "sha256:" + config_id, "layer_diff_id": "sha256:" + diff_id, "layer_bytes": layer_size}),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
