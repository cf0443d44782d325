package caravan.resilience;



/** The fan-out job the resilience tests share. */
public final class JobRuns {

    private JobRuns() {
    }

    /** A job that fans out over items 1..n, fetching {@code base/item/N} for each and storing it. */
    public static String fanOutJob(String jobId, int items, String extraSplitOptions) {
        StringBuilder list = new StringBuilder();
        for (int i = 1; i <= items; i++) {
            list.append(i == 1 ? "" : ",").append(i);
        }
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
                """.formatted(jobId, jobId, list, extraSplitOptions == null ? "" : extraSplitOptions.indent(12).stripTrailing());
    }
}
