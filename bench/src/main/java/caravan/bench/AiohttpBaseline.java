package caravan.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Python asyncio + aiohttp (bench/aiohttp_baseline.py) in a process of its own, sent one run at a time over stdin
 * and pointed at the same delay server as the other contenders. Absent when no python3 imports aiohttp.
 */
final class AiohttpBaseline implements AutoCloseable {

    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    private AiohttpBaseline(Process process) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The pythons tried, in order: $PYTHON, python3, /usr/bin/python3 (Debian's python3-aiohttp serves the last). */
    static String findPython() {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("PYTHON");
        if (env != null && !env.isBlank()) {
            candidates.add(env);
        }
        candidates.add("python3");
        candidates.add("/usr/bin/python3");
        for (String python : candidates) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import aiohttp").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return python;
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // not installed: try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** Starts the baseline, or returns null when {@code python} is null or the script is missing. */
    static AiohttpBaseline start(String python, Path script) throws IOException {
        if (python == null || !Files.isRegularFile(script)) {
            return null;
        }
        Process p = new ProcessBuilder(python, script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new AiohttpBaseline(p);
    }

    /** Wall time in ms of N GETs with at most C in flight, as the script measured it. */
    long run(String base, int n, int c) throws IOException {
        in.write(n + " " + c + " " + base + "\n");
        in.flush();
        String answer = out.readLine();
        if (answer == null || answer.startsWith("error")) {
            throw new IllegalStateException("the aiohttp baseline failed: " + (answer == null ? "it exited" : answer));
        }
        return Long.parseLong(answer.trim());
    }

    @Override
    public void close() throws Exception {
        try {
            in.close(); // the script ends at the end of its input
        } catch (IOException e) {
            // it has gone already
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
