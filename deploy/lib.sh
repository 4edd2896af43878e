# Shared by the deploy/ scripts (sourced, not run). Expects $top (the checkout) to be set.
target="$top/spark-jobs/target"

# The thin jar (embedded mode) and the shaded application jar (spark-submit).
thin_jar() { ls "$target"/vitspark-spark-jobs-*[0-9T].jar 2>/dev/null | head -n1 || true; }
app_jar() { ls "$target"/vitspark-spark-jobs-*-app.jar 2>/dev/null | head -n1 || true; }

# Builds on first use, or when a pom or main source is newer than the jars.
ensure_built() {
  local jar app
  jar="$(thin_jar)"; app="$(app_jar)"
  if [ -z "$jar" ] || [ -z "$app" ] || [ ! -f "$target/classpath-runtime.txt" ] || [ ! -f "$target/classpath-provided.txt" ] \
     || [ -n "$(find "$top/pom.xml" "$top/core/pom.xml" "$top/spark-jobs/pom.xml" "$top/core/src/main" \
                "$top/spark-jobs/src/main" -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
    if [ -n "${VITSPARK_NO_BUILD:-}" ]; then
      echo "vitspark: jars in $target are missing or older than the sources, and VITSPARK_NO_BUILD is set" >&2
      exit 1
    fi
    echo "vitspark: building (mvn -q -B -DskipTests install) ..." >&2
    (cd "$top" && mvn -q -B -DskipTests install) >&2
    # Maven leaves an up-to-date jar untouched: after a pom-only change the jar would stay "older than
    # the sources" and every launch would build again
    touch "$(thin_jar)" "$(app_jar)"
  fi
}

# glibc's allocator keeps the native memory ND4J frees (docs/decisions.md D35): a training step allocates
# fresh 0.1-10 MB buffers and frees them at the next collection; with glibc's dynamic thresholds those
# go back to the kernel and every new buffer page-faults zeroed pages (DINO pretraining: 30-48% of CPU
# time in the kernel; ~2% with these, docs/benchmarks.md). mmap_threshold 1 GiB: buffers come from the
# arenas, not from mmap; trim_threshold 4 GiB: freed arena memory is kept for reuse (JavaCPP's
# resident-set limit still trims it explicitly); arena_max 4: bounds what Spark's many task threads keep.
# The same value is in deploy/spark-defaults.conf, deploy/schedule/vitspark-nightly.yaml, the pom's
# test JVMs and org.vitspark.runtime.MallocTuning (a test keeps them equal).
MALLOC_TUNABLES="glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=4294967296:glibc.malloc.arena_max=4"

# ND4J's OpenMP threads (libgomp) sleep as soon as an op ends instead of spinning for libgomp's default
# 300,000 iterations: between two ND4J ops a step runs host kernels whose second thread (Host.parallel)
# needs the core a spinning OpenMP thread holds. Training step, 2 threads, batch 64, alternating runs:
# 1.2-1.4x faster with PASSIVE (docs/benchmarks.md, D36). Spark tasks with spark.task.cpus = 1 (the
# embedded local[*] workers) run each op on one thread, where the policy does not matter; cluster
# executors are left as configured (not measured with several cores per task).
OMP_POLICY="PASSIVE"

# The flags spark-submit adds on Java 17 (Spark 3.5 fails without them), plus the one Kryo needs.
# --add-modules: the host kernels' SIMD loops (Vector API, an incubator module in Java 17; scalar fallback without it)
# TypeProfileLevel=222: the JIT profiles return and argument types, which keeps the GELU kernel's vector code
# compiled to SIMD in every JVM instead of about half (docs/decisions.md D37)
JAVA17_OPENS="-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector -XX:TypeProfileLevel=222 -Djdk.reflect.useDirectMethodHandle=false"
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  JAVA17_OPENS="$JAVA17_OPENS --add-opens=java.base/$p=ALL-UNNAMED"
done
