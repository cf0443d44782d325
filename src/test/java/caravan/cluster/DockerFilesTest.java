package caravan.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.config.MetricsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** No Docker engine runs the image here, so the files are checked against what the code says. */
class DockerFilesTest {

    @Test
    void the_image_health_check_asks_the_metrics_server_health_endpoint_on_its_default_port() throws Exception {
        String dockerfile = Files.readString(Path.of("docker/Dockerfile"));
        assertThat(dockerfile).contains("HEALTHCHECK").contains("/health")
                .contains("${CARAVAN_METRICS_PORT:-" + MetricsSettings.DEFAULT_PORT + "}")
                .contains("EXPOSE 9010 " + MetricsSettings.DEFAULT_PORT);
    }

    @Test
    void the_image_runs_caravan_run_as_a_non_root_user_with_routes_config_and_data_volumes() throws Exception {
        String dockerfile = Files.readString(Path.of("docker/Dockerfile"));
        assertThat(dockerfile).contains("FROM eclipse-temurin:21-jre").contains("USER caravan")
                .contains("VOLUME [\"/app/routes\", \"/app/config\", \"/app/data\"]")
                .contains("CMD [\"run\", \"--routes\", \"/app/routes\", \"--config\", \"/app/config/application.properties\","
                        + " \"--data\", \"/app/data\"]");
    }

    @Test
    void the_image_starts_through_the_launcher_so_its_jvm_defaults_are_defined_once() throws Exception {
        String dockerfile = Files.readString(Path.of("docker/Dockerfile"));
        assertThat(dockerfile).contains("COPY bin/caravan bin/jit-directives.json /app/bin/")
                .contains("ENV CARAVAN_JAR=/app/caravan.jar")
                .contains("ENTRYPOINT [\"/app/bin/caravan\"]").doesNotContain("-Xms");
    }

    @Test
    void the_cluster_compose_file_runs_two_nodes_with_their_own_ids_on_one_postgresql() throws Exception {
        String compose = Files.readString(Path.of("docker/compose.cluster.yaml"));
        assertThat(compose).contains("image: postgres:").contains("CARAVAN_CLUSTER_ENABLED: \"true\"")
                .contains("CARAVAN_DB_URL: jdbc:postgresql://postgres:5432/caravan")
                .contains("CARAVAN_CLUSTER_NODE_ID: caravan-1").contains("CARAVAN_CLUSTER_NODE_ID: caravan-2");
    }
}
