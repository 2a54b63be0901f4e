package io.tocsin.local;

import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;
import io.tocsin.escalation.SweepFunction;

/** Local run only: the schedules EventBridge runs in AWS (template.yaml), here by quarkus-scheduler. */
public class LocalSchedules {

    @Inject
    SweepFunction sweep;

    @Scheduled(every = "60s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void escalationSweep() {
        sweep.sweep(null);
    }
}
