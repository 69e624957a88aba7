# Sourced by the infra/ launchers: finds a JDK 25+ and makes sure the local stack is built.

# Prints the path of a java 25+ binary: $JAVA_HOME's, the PATH's, or one under /usr/lib/jvm or ~/.sdkman.
find_java25() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for dir in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$dir/bin/java" ] && candidates+=("$dir/bin/java")
  done
  local java version
  for java in "${candidates[@]}"; do
    version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ -n "$version" ] && [ "${version%%.*}" -ge 25 ] 2>/dev/null; then
      echo "$java"
      return 0
    fi
  done
  echo "No JDK 25 or newer found (looked at JAVA_HOME, PATH, /usr/lib/jvm). Install one, e.g. Temurin 25, and run again." >&2
  return 1
}

# Builds the local stack and what it runs (skipping tests) when the build is missing or older than the sources:
# -am packages the function jars too, which the local stack runs each function from (template.yaml CodeUri).
ensure_built() {
  local root="$1"
  local stamp="$root/infra/local/target/classpath.txt"
  if [ ! -f "$stamp" ] || [ -n "$(find "$root/functions" "$root/infra/local" "$root/pom.xml" "$root/template.yaml" \
        \( -name '*.java' -o -name 'pom.xml' -o -name '*.yaml' -o -name '*.xml' \) -newer "$stamp" -not -path '*/target/*' -print -quit)" ]; then
    echo "Building the platform (mvn package, tests skipped)..." >&2
    (cd "$root" && mvn -B -q -DskipTests package -pl infra/local -am) >&2 || {
      echo "The build failed; see the Maven output above." >&2
      return 1
    }
  fi
}

# The local stack's classpath: its classes plus every dependency, as Maven resolved them.
local_classpath() {
  local root="$1"
  echo "$root/infra/local/target/classes:$(cat "$root/infra/local/target/classpath.txt")"
}
