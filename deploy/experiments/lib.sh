# Sourced by the experiment scripts: where an experiment keeps its runs and how a finished one is found.
# VITSPARK_RUNS (default runs, the project's own) is that folder. The nightly job points it into the night's
# directory, so every night trains afresh; a suite entry with `runs = runs` reuses the finished runs there.
runs_root="${VITSPARK_RUNS:-runs}"
root=(--set "run.root=\"$runs_root\"")

finished_run() { # newest run directory of a run name that has summary.json; nothing (and status 0) if none
  # ls fails when the name has no runs yet: under the scripts' pipefail that status would end a script at
  # the first plain `run="$(finished_run ...)"`, silently, before its report and gates
  { ls -d "$runs_root/$1"/*/ 2>/dev/null || true; } | sort -r | while read -r d; do
    if [ -f "$d/summary.json" ]; then echo "${d%/}"; break; fi
  done
}
