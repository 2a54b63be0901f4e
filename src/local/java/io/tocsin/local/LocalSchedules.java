package io.tocsin.local;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.tocsin.config.Settings;
import io.tocsin.sweep.SweepFunction;
import io.tocsin.summary.SummaryFunction;
import io.tocsin.summary.SummaryRetryException;

/** Local run only: the schedules EventBridge runs in AWS (template.yaml), here by quarkus-scheduler. */
public class LocalSchedules {

    private static final Logger LOG = Logger.getLogger(LocalSchedules.class);

    @Inject
    SweepFunction sweep;
    @Inject
    SummaryFunction summary;
    @Inject
    Settings settings;

    @Scheduled(every = "60s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void escalationSweep() {
        sweep.sweep(null);
    }

    /**
     * The daily summary: checked every minute rather than by a cron at ALERT_SUMMARY_EMAIL_TIME, so that a local run
     * started after the time (or asleep at it) still sends the day's summary. The summary's own record of each day
     * makes every check after the first a no-op.
     */
    @Scheduled(every = "60s", delayed = "20s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void dailySummary() {
        if (!settings.summaryEmail().enabled()) {
            return;
        }
        try {
            var answer = summary.dailySummary(null);
            if (answer.path("sent").asBoolean()) {
                LOG.infof("Daily summary sent: %s", answer);
            }
        } catch (SummaryRetryException e) {
            LOG.warnf("Daily summary not sent, next check in a minute: %s", e.getMessage());
        }
    }
}
