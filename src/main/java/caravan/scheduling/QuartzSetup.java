package caravan.scheduling;

import caravan.config.SchedulerSettings;
import java.util.Properties;
import org.apache.camel.component.quartz.QuartzComponent;

/** The Quartz scheduler behind every job: its thread pool and store. */
public final class QuartzSetup {

    private QuartzSetup() {
    }

    public static QuartzComponent component(SchedulerSettings settings) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "Caravan");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(settings.threads()));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "caravan-job");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(p);
        // A stop must not wait forever on a run that outlives the shutdown timeout: the run is marked interrupted.
        quartz.setInterruptJobsOnShutdown(true);
        quartz.setEnableJmx(false);
        return quartz;
    }
}
