#!/bin/sh
# A stand-in for `sbatch --parsable --wait --array=0-N[%M] --output=PATTERN ... SCRIPT` in the tests
# (tests/Bit1HW.Flows.Tests SlurmSweepTests, tests/Bit1HW.Cli.Tests SweepCommandTests): records its
# arguments in SCRIPT's directory (sbatch.args), prints a job id (FAKE_SBATCH_JOB, default 4242) as
# --parsable does, then runs every array task one after another as Slurm would: SLURM_ARRAY_TASK_ID
# set, stdout and stderr to the --output pattern with %A the job and %a the task. Exits 1 when a
# task failed, as sbatch --wait does.
job=${FAKE_SBATCH_JOB:-4242}
array=""; out=""; script=""
for a in "$@"; do
  case "$a" in
    --array=*) array=${a#--array=} ;;
    --output=*) out=${a#--output=} ;;
    -*) ;;
    *) script=$a ;;
  esac
done
[ -n "$array" ] && [ -n "$out" ] && [ -f "$script" ] || { echo "fake sbatch: needs --array, --output and a script" >&2; exit 2; }
echo "$*" > "$(dirname "$script")/sbatch.args"
echo "$job"
range=${array%%%*}
last=${range#0-}
status=0
i=0
while [ "$i" -le "$last" ]; do
  log=$(echo "$out" | sed "s/%A/$job/; s/%a/$i/")
  SLURM_ARRAY_TASK_ID=$i sh "$script" > "$log" 2>&1 || status=1
  i=$((i + 1))
done
exit $status
