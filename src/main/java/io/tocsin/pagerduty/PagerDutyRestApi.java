package io.tocsin.pagerduty;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The part of PagerDuty's REST API v2 that escalation uses (api-schema reference/REST/openapiv3.json): find the
 * incident of an Events API dedup key, and raise its escalation level.
 */
@RegisterRestClient(configKey = "pagerduty-rest")
@Path("/incidents")
public interface PagerDutyRestApi {

    /** {@code Accept} header of REST API v2. */
    String ACCEPT = "application/vnd.pagerduty+json;version=2";

    @GET
    @Produces(ACCEPT)
    Response findByIncidentKey(@HeaderParam("Authorization") String authorization,
            @QueryParam("incident_key") String incidentKey);

    @PUT
    @Path("/{id}")
    @Consumes("application/json")
    @Produces(ACCEPT)
    Response update(@HeaderParam("Authorization") String authorization, @HeaderParam("From") String from,
            @PathParam("id") String id, String body);
}
