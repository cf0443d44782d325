package caravan.resilience;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The jobs over items 1..n that the resilience and fetch tests share. */
public final class JobRuns {

    private JobRuns() {
    }

    /**
     * A job never due by its schedule (the tests trigger it) whose body is the items 1..n, comma-separated, followed
     * by {@code steps} (YAML steps written from the first column).
     */
    public static String itemsJob(String jobId, int items, String steps) {
        String list = IntStream.rangeClosed(1, items).mapToObj(Integer::toString).collect(Collectors.joining(","));
        return """
                - route:
                    id: %s
                    from:
                      uri: quartz:test/%s
                      parameters:
                        cron: "0 0 0 1 1 ? 2099"
                      steps:
                        - setBody:
                            constant: "%s"
                %s
                """.formatted(jobId, jobId, list, steps.indent(8).stripTrailing());
    }

    /** A job that fans out over items 1..n, fetching {@code base/item/N} for each and storing it. */
    public static String fanOutJob(String jobId, int items, String extraSplitOptions) {
        return itemsJob(jobId, items, """
                - split:
                    tokenize: ","
                    parallelProcessing: true
                %s
                    steps:
                      - setHeader:
                          name: CaravanItemKey
                          simple: "item:${body}"
                      - setHeader:
                          name: CamelHttpMethod
                          constant: GET
                      - toD: "{{test.base-url}}/item/${body}"
                      - to: caravan:store
                """.formatted(extraSplitOptions == null ? "" : extraSplitOptions.indent(4).stripTrailing()));
    }
}
