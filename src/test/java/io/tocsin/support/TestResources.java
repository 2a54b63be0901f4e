package io.tocsin.support;

import io.quarkus.test.common.QuarkusTestResource;

/** The real local services every Quarkus test runs against: dynalite, and PagerDuty faked at HTTP. */
@QuarkusTestResource(DynaliteResource.class)
@QuarkusTestResource(PagerDutyFake.class)
public final class TestResources {

    private TestResources() {
    }
}
