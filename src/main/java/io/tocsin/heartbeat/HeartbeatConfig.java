package io.tocsin.heartbeat;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tocsin.alert.Severity;

/** {@code TOCSIN_HEARTBEAT_*}: what a heartbeat created by its first ping gets, and how loud a missed one is. */
@ConfigMapping(prefix = "tocsin.heartbeat")
public interface HeartbeatConfig {

    /**
     * {@code TOCSIN_HEARTBEAT_DEFAULT_INTERVAL}: the expected time between pings of a heartbeat created by its first
     * ping (one created explicitly says its own). Five minutes suits Prometheus' Watchdog through Alertmanager, which
     * repeats it every group_interval (five minutes by default).
     */
    @WithDefault("5m")
    Duration defaultInterval();

    /** {@code TOCSIN_HEARTBEAT_DEFAULT_GRACE}: how late a ping may be before the alert, for the same heartbeats. */
    @WithDefault("5m")
    Duration defaultGrace();

    /** {@code TOCSIN_HEARTBEAT_SEVERITY}: the severity of a missed heartbeat's alert, unless the heartbeat says its own. */
    @WithDefault("high")
    Severity severity();
}
