package dev.neutron.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a process (and its descendants: bin/neutron runs java as a child or by exec) uses, from /proc. */
final class ProcessFootprint {
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProcessFootprint() {
    }

    /** Resident set size in MiB of {@code process} and its descendants. */
    static double rssMib(Process process) throws IOException {
        long kib = 0;
        for (long pid : pids(process)) {
            kib += statusField(pid, "VmRSS:");
        }
        return kib / 1024.0;
    }

    /** CPU time (user + system) in ms of {@code process} and its descendants so far. */
    static double cpuMillis(Process process) throws IOException {
        long ticks = 0;
        for (long pid : pids(process)) {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return ticks * 1000.0 / CLOCK_TICKS_PER_SECOND;
    }

    /** Live threads of the process's JVM (the descendant with most threads). */
    static long threads(Process process) throws IOException {
        long most = 0;
        for (long pid : pids(process)) {
            most = Math.max(most, statusField(pid, "Threads:"));
        }
        return most;
    }

    private static long[] pids(Process process) {
        try (Stream<ProcessHandle> descendants = process.descendants()) {
            return Stream.concat(Stream.of(process.toHandle()), descendants).filter(ProcessHandle::isAlive)
                    .mapToLong(ProcessHandle::pid).toArray();
        }
    }

    private static long statusField(long pid, String field) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]);
            }
        }
        return 0;
    }
}
