package dev.contentgen.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, read from /proc (Linux). */
record ProcStats(long cpuMillis, long rssKib) {
    private static final long TICKS_PER_SECOND = 100;

    static ProcStats of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long rss = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1);
            return new ProcStats(ticks * 1000 / TICKS_PER_SECOND, rss);
        } catch (IOException | RuntimeException e) {
            return new ProcStats(-1, -1);
        }
    }

    /** This load tool's own CPU, so the report shows what the client took from the 2 cores. */
    static long selfCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    }

    static long sumOf(long[] pids, boolean cpu) {
        long total = 0;
        for (long pid : pids) {
            ProcStats s = of(pid);
            total += cpu ? s.cpuMillis() : s.rssKib();
        }
        return total;
    }
}
