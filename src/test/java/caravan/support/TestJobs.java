package caravan.support;

/** Small job files for tests: no HTTP, a cron that never fires by itself (2099), triggered by hand. */
public final class TestJobs {

    /** Stores one item and ends. */
    public static final String QUICK = """
            - route:
                id: quick
                from:
                  uri: quartz:test/quick
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - setBody:
                        constant: "hello"
                    - setHeader:
                        name: CaravanItemKey
                        constant: "item-1"
                    - to: caravan:store
            """;

    /** Takes 1.5 s, then stores one item: long enough to trigger it again, or change its file, while it runs. */
    public static final String SLOW = """
            - route:
                id: slow
                from:
                  uri: quartz:test/slow
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - delay:
                        constant: 1500
                    - setBody:
                        constant: "done"
                    - setHeader:
                        name: CaravanItemKey
                        constant: "slow-1"
                    - to: caravan:store
            """;

    private TestJobs() {
    }
}
