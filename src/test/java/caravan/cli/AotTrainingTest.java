package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The training workload of the JVM's ahead-of-time cache, in this JVM: it must really run the fan-out it is meant to
 * record (a cache trained on a workload that broke would only record start-up), and leave nothing behind.
 */
class AotTrainingTest {

    @Test
    void the_training_runs_its_fan_out_through_the_daemon_and_deletes_its_scratch_folder() throws Exception {
        List<Path> before = scratchFolders();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AotTraining.run(new PrintStream(out, true, StandardCharsets.UTF_8));

        List<String> runs = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("training run ")).toList();
        assertThat(runs).hasSize(AotTraining.RUNS).allSatisfy(run -> assertThat(run)
                .contains("\"status\":\"partial\"", "\"items_total\":" + (AotTraining.ITEMS + 1), "\"items_failed\":1"));
        assertThat(scratchFolders()).containsExactlyInAnyOrderElementsOf(before);
    }

    private static List<Path> scratchFolders() throws Exception {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("caravan-aot-training")).toList();
        }
    }
}
