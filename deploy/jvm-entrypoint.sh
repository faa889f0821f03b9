#!/bin/sh
# Starts the packaged service with this image's AOT cache when there is one, or trains it: the first run of an
# image records with -XX:AOTCacheOutput and the JVM writes the cache when it stops (see Dockerfile.jvm).
set -eu
cd /app
key="$(cat aot-key 2>/dev/null || echo unknown)"
cache="/app/aot/agentdock-$key.aot"
aot=""
if [ "${AGENTDOCK_AOT:-on}" != "off" ]; then
  if [ -s "$cache" ]; then
    aot="-XX:AOTCache=$cache"
  elif [ -w /app/aot ]; then
    aot="-XX:AOTCacheOutput=$cache"
  fi
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java $JAVA_OPTS $aot -jar quarkus-run.jar
