package caravan.fetch;

import caravan.config.SchedulerSettings;
import caravan.http.PoliteGet;
import caravan.http.PoliteHttp;
import caravan.store.CaravanComponent;
import org.apache.camel.Consumer;
import org.apache.camel.Expression;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code caravan:fetch}: GETs every item of the body (a list, or text with one item per line) and stores each reply
 * as that item's result, many at once, without an exchange per item. Failed items are retried as the daemon's
 * retry policy says and end as dead letters; the step ends once every item is stored or dead-lettered.
 */
@UriEndpoint(scheme = "caravan", title = "Caravan fetch", syntax = "caravan:fetch", producerOnly = true, category = {})
public final class FetchEndpoint extends DefaultEndpoint {

    @UriParam(description = "The URL of each item, a Simple expression on the item as ${body}"
            + " (e.g. https://example.org/item/${body}); by default the item is the URL")
    private String url;
    @UriParam(description = "The item key of each result, a Simple expression on the item as ${body}; by default its URL")
    private String itemKey;
    @UriParam(defaultValue = "\\n", description = "What separates items when the body is text")
    private String delimiter = "\n";
    @UriParam(description = "Requests in flight at most; by default caravan.fanout.concurrency")
    private int concurrency;
    @UriParam(description = "Attempts per item; by default caravan.retry.max-attempts")
    private int maxAttempts;
    @UriParam(defaultValue = "true",
            description = "Skip storing an item whose content equals its latest stored result (change detection)")
    private boolean skipUnchanged = true;
    @UriParam(description = "Respect robots.txt; by default caravan.http.robots-txt")
    private Boolean robotsTxt;
    @UriParam(description = "Send each item's remembered ETag and Last-Modified (If-None-Match, If-Modified-Since), so that"
            + " a site answers 304 with no body while the content is the same; by default on with skipUnchanged")
    private Boolean conditional;

    private Expression urlExpression;
    private Expression itemKeyExpression;
    /** The daemon's defaults; null outside it (then one attempt per item). */
    private FetchDefaults defaults;

    public FetchEndpoint(String uri, CaravanComponent component) {
        super(uri, component);
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        defaults = getCamelContext().getRegistry().findSingleByType(FetchDefaults.class);
        if (concurrency < 0 || maxAttempts < 0) {
            throw new IllegalArgumentException(getEndpointUri() + ": concurrency and maxAttempts must be at least 1"
                    + " (leave them out for caravan.fanout.concurrency and caravan.retry.max-attempts)");
        }
        if (Boolean.TRUE.equals(conditional) && !skipUnchanged) {
            throw new IllegalArgumentException(getEndpointUri() + ": conditional=true needs skipUnchanged=true: a 304 Not"
                    + " Modified brings no content to store again; leave conditional out to store every fetch");
        }
        if (concurrency == 0) {
            concurrency = defaults != null ? defaults.concurrency() : SchedulerSettings.DEFAULT_FANOUT_CONCURRENCY;
        }
        if (maxAttempts == 0) {
            maxAttempts = defaults != null ? defaults.retry().maxAttempts() : 1;
        }
        if (delimiter.isEmpty()) {
            throw new IllegalArgumentException(getEndpointUri() + ": delimiter must not be empty");
        }
        urlExpression = url == null ? null : getCamelContext().resolveLanguage("simple").createExpression(url);
        itemKeyExpression = itemKey == null ? null : getCamelContext().resolveLanguage("simple").createExpression(itemKey);
    }

    @Override
    public Producer createProducer() {
        CaravanComponent c = (CaravanComponent) getComponent();
        // No PoliteHttp at all: not in the daemon (caravan validate, say); such a producer fails only when used.
        PoliteHttp http = getCamelContext().getRegistry().findSingleByType(PoliteHttp.class);
        if (http != null && http.get().isEmpty()) {
            throw new IllegalStateException(getEndpointUri() + " needs the daemon's non-blocking HTTP client: it is off"
                    + " with caravan.http.client=classic; use split with toD, or set caravan.http.client=async");
        }
        for (String scheme : new String[] {"http", "https"}) {
            String setting = getCamelContext().hasComponent(scheme) instanceof HttpComponent h
                    ? PoliteGet.settingNotApplied(h) : null;
            if (setting != null) {
                throw new IllegalStateException(getEndpointUri() + " does not apply camel.component." + scheme + "."
                        + setting + "; use split with toD, whose requests do");
            }
        }
        return new FetchProducer(this, new FetchParts(http == null ? null : http.get().get(), c.results(), c.deadLetters(), c.runs(),
                c.secrets(), c.continuation(), c.timer(), defaults == null ? null : defaults.retry()));
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("caravan:fetch can only be used in to:, not in from:");
    }

    Expression urlExpression() {
        return urlExpression;
    }

    Expression itemKeyExpression() {
        return itemKeyExpression;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getItemKey() {
        return itemKey;
    }

    public void setItemKey(String itemKey) {
        this.itemKey = itemKey;
    }

    public String getDelimiter() {
        return delimiter;
    }

    public void setDelimiter(String delimiter) {
        this.delimiter = delimiter;
    }

    public int getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public boolean isSkipUnchanged() {
        return skipUnchanged;
    }

    public void setSkipUnchanged(boolean skipUnchanged) {
        this.skipUnchanged = skipUnchanged;
    }

    public Boolean getConditional() {
        return conditional;
    }

    public void setConditional(Boolean conditional) {
        this.conditional = conditional;
    }

    /** Whether the step's GETs are conditional: with change detection, unless turned off. */
    boolean conditionalGets() {
        return skipUnchanged && !Boolean.FALSE.equals(conditional);
    }

    public Boolean getRobotsTxt() {
        return robotsTxt;
    }

    public void setRobotsTxt(Boolean robotsTxt) {
        this.robotsTxt = robotsTxt;
    }
}
