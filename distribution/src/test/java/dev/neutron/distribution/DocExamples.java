package dev.neutron.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ```console} examples of a Markdown file: each {@code $ command} (with its {@code \} continuation lines)
 * and the output shown under it, in document order.
 */
final class DocExamples {
    record Example(String file, int line, String command, List<String> output) {
        String where() {
            return file + ":" + line;
        }
    }

    private DocExamples() {
    }

    static List<Example> read(Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
        String file = markdown.getFileName().toString();
        List<Example> examples = new ArrayList<>();
        boolean inConsole = false;
        StringBuilder command = null;
        int commandLine = 0;
        List<String> output = new ArrayList<>();
        boolean continued = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!inConsole) {
                inConsole = line.strip().equals("```console");
                continue;
            }
            boolean fenceEnd = line.strip().equals("```");
            if (continued && !fenceEnd) {
                command.append('\n').append(line);
                continued = line.endsWith("\\");
            } else if (fenceEnd || line.startsWith("$ ")) {
                if (command != null) {
                    examples.add(new Example(file, commandLine, command.toString(), List.copyOf(output)));
                }
                command = null;
                output.clear();
                if (fenceEnd) {
                    inConsole = false;
                } else {
                    command = new StringBuilder(line.substring(2));
                    commandLine = i + 1;
                    continued = line.endsWith("\\");
                }
            } else if (command != null) {
                output.add(line);
            }
        }
        return examples;
    }
}
