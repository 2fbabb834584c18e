#!/usr/bin/env bash
# Builds cli/target/recon-VERSION-linux-x64.tar.gz, the release that brings its own Java runtime
# (run by Maven in the package phase, after the shaded jar and the completion script; see
# docs/operating.md, "Installing"):
#   runtime/     a Java runtime made by jlink with only the modules recon needs
#   lib/recon.jar (target/recon.jar with picocli's class files rewritten from Java 5's format to
#                Java 8's when the runtime is 25+, so that the AOT cache keeps them linked) and its
#                start-up archive lib/recon.aot (JDK 25's AOT cache, JEP 483/514/515) when the
#                runtime is 25 or newer; an older runtime's launcher records lib/recon.jsa
#                (application class-data sharing) at its first run, as the plain release's does
#   bin/recon, recon.schema.json, recon-completion.bash, README.md, docs/
#
# The runtime comes from the newest JDK that can link one: $RECON_RUNTIME_JDK when set, else the
# JDK Maven runs on and every JDK under /usr/lib/jvm (a JDK 17 needs its jmods: Debian's
# openjdk-17-jdk-headless has them; JDK 24+ may link from its own run-time image).
#
# usage: make-release.sh TARGET_DIR VERSION MAVEN_JAVA_HOME
set -euo pipefail
if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "release: the self-contained release is built on Linux x86-64 only; not on $(uname -sm)" >&2
  exit 0
fi
target=$1
version=$2
maven_java_home=$3
name="recon-$version"
modules=java.base,java.desktop,java.naming,java.security.jgss,java.security.sasl,java.sql,jdk.charsets,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.localedata,jdk.management,jdk.net,jdk.security.auth,jdk.unsupported

say() { echo "release: $*" >&2; }

feature() { # the feature version (17, 25) of the JDK at $1, or 0
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || true)
  echo "${v:-0}"
}

candidates() {
  if [ -n "${RECON_RUNTIME_JDK:-}" ]; then echo "$RECON_RUNTIME_JDK"; return; fi
  { echo "$maven_java_home"; for d in /usr/lib/jvm/*/; do echo "${d%/}"; done; } | while read -r jdk; do
    [ -x "$jdk/bin/jlink" ] && [ -f "$jdk/release" ] && echo "$(feature "$jdk") $jdk"
  done | sort -rn -k1,1 | awk '$1 >= 17 { print $2 }'
}

stage="$target/release/$name"
rm -rf "$target/release" "$target/$name-linux-x64.tar.gz"
mkdir -p "$stage/lib" "$stage/bin"

jdk=
for candidate in $(candidates); do
  # not compressed: an uncompressed modules file starts faster, and the archive compresses it anyway;
  # with the JDK's own class-data-sharing archive, which a Java 17 runtime needs for recon's (lib/recon.jsa)
  if "$candidate/bin/jlink" --add-modules "$modules" --include-locales en --strip-debug --no-man-pages --generate-cds-archive \
      --no-header-files --output "$stage/runtime" 2>"$target/jlink.log"; then
    jdk=$candidate
    break
  fi
  say "$candidate cannot link a runtime ($(head -1 "$target/jlink.log")); trying the next JDK"
  rm -rf "$stage/runtime"
done
if [ -z "$jdk" ]; then
  say "no JDK 17+ here can link a runtime: install Debian's openjdk-17-jdk-headless (it has the jmods)"
  say "or set RECON_RUNTIME_JDK to a JDK that has jmods or is 24+ with a linkable run-time image"
  exit 1
fi
java_version=$(feature "$jdk")
say "runtime: Java $java_version from $jdk ($(du -sh "$stage/runtime" | cut -f1))"

cp -p "$target/recon.jar" "$stage/lib/recon.jar"
cp -p "$target/../src/dist/bin/recon" "$stage/bin/recon"
chmod 0755 "$stage/bin/recon"
cp -p "$target/../../engine/src/main/resources/dev/recon/config/recon.schema.json" "$stage/recon.schema.json"
cp -p "$target/recon-completion.bash" "$stage/recon-completion.bash"
cp -p "$target/../../README.md" "$stage/README.md"
cp -pr "$target/../../docs" "$stage/docs"

# The training run, from inside the release so that the archive records lib/recon.jar as it ships
# (the JVM finds it again wherever the release is unpacked, as long as the jar is unchanged). A
# runtime older than 25 gets none: Java 17 cannot use a class-data-sharing archive from another
# directory, so the launcher makes one at the first diff, sync or validate, as the plain release does.
if [ "$java_version" -ge 25 ]; then
  # picocli's Java 5 class files cannot be kept linked in the AOT cache: rewrite them as Java 8's
  # (build/ClassVersionUpgrade.java, which loads and verifies each one it rewrites)
  "$jdk/bin/java" "$target/../src/dist/build/ClassVersionUpgrade.java" "$stage/lib/recon.jar" picocli/
  (
    cd "$stage"
    runtime/bin/java -XX:AOTCacheOutput=lib/recon.aot -Xlog:aot*=error --enable-native-access=ALL-UNNAMED \
      -cp lib/recon.jar dev.recon.cli.Training
    test -s lib/recon.aot
    # the jar's size and time, which the launcher compares before it uses the cache: Java 25.0.3
    # does not check that the jar is the one the cache was made from (JDK-8377932)
    stat -c '%s %Y' lib/recon.jar > lib/recon.aot.jar
    say "start-up archive: lib/recon.aot ($(du -h lib/recon.aot | cut -f1))"
  )
else
  say "no AOT cache on Java $java_version: the launcher records a class-data-sharing archive at the first run"
fi

# GNU tar keeps each file's time: the start-up archive checks the jar's
tar -C "$target/release" -czf "$target/$name-linux-x64.tar.gz" "$name"
say "$target/$name-linux-x64.tar.gz ($(du -h "$target/$name-linux-x64.tar.gz" | cut -f1))"
