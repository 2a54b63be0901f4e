package io.tocsin.pagerduty;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * PagerDuty Events API v2 ({@code POST https://events.pagerduty.com/v2/enqueue}). The body is sent as the exact bytes
 * whose size was checked against the 512 KB limit; every status is returned to the caller, none is thrown.
 */
@RegisterRestClient(configKey = "pagerduty-events")
@Path("/v2")
public interface PagerDutyEventsApi {

    @POST
    @Path("/enqueue")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response enqueue(String event);
}
