"""What the gates scripts share (standard library only): the --json FILE option, whose file holds the
experiment's metrics as one flat JSON object (what a nightly suite's bands name), written atomically."""
import json
import math
import os


def take_json(argv):
    """(path or None, the other arguments) from ['--json', PATH, ...]."""
    if argv[:1] == ["--json"]:
        if len(argv) < 2:
            raise SystemExit("--json needs a file")
        return argv[1], argv[2:]
    return None, argv


def write_json(path, metrics):
    """Writes the finite numbers of metrics (a bool counts as 1/0) to path through a temporary file."""
    if not path:
        return
    out = {}
    for k, v in metrics.items():
        if isinstance(v, bool):
            v = 1.0 if v else 0.0
        if isinstance(v, (int, float)) and math.isfinite(v):
            out[k] = v
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)
