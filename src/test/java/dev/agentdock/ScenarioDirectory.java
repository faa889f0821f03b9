package dev.agentdock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A scenario directory of one's own for a test profile ({@code agentdock.scenarios.dir}): one file, {@code yaml}. */
public final class ScenarioDirectory {

    private ScenarioDirectory() {
    }

    /** A new temporary directory holding {@code yaml} as {@code <name>.yaml}, its only file; its path. */
    public static String of(String name, String yaml) {
        try {
            Path dir = Files.createTempDirectory(name + "-");
            Files.writeString(dir.resolve(name + ".yaml"), yaml);
            return dir.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
