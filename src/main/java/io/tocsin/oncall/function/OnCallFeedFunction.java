package io.tocsin.oncall.function;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.tocsin.api.ApiGateway;
import io.tocsin.oncall.feed.FeedCalendar;
import io.tocsin.oncall.feed.FeedSecrets;
import io.tocsin.oncall.feed.FeedStore;
import io.tocsin.oncall.ical.ICalendarFeed;
import io.tocsin.oncall.store.OnCallStore;

/**
 * The {@code oncall-feed} function: the public route {@code GET /oncall/feed/{file}} (no IAM: calendar apps cannot
 * sign; the secret in {@code file} is the credential) answering {@code text/calendar; charset=utf-8} with the final
 * shifts of {@link FeedCalendar}'s window. An unknown, revoked or malformed secret, and a feed whose schedule or
 * person is gone, all answer the same 404. Invoked directly with {@code {"file": "tcf_….ics"}} it answers
 * {@code {"content_type":…, "calendar":…}}. Reads only: one GetItem of the feed, one Query of the on-call document.
 */
public class OnCallFeedFunction {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Calendar apps poll; a few minutes of caching by proxies of the viewer is harmless and saves invocations. */
    static final String CACHE_CONTROL = "private, max-age=300";

    @Inject
    FeedStore feeds;
    @Inject
    OnCallStore store;
    @Inject
    Clock clock;

    @Funq("oncall-feed")
    public JsonNode feed(JsonNode event) {
        boolean proxy = ApiGateway.isProxyEvent(event);
        String file = proxy ? event.path("pathParameters").path("file").asText(null)
                : event == null ? null : event.path("file").asText(null);
        Optional<String> calendar;
        try {
            calendar = calendar(file);
        } catch (OnCallStore.UnreadableException e) {
            // two applies interleaved: the next apply repairs it; calendar apps keep the subscription and retry
            return proxy ? plain(503, "the on-call document is being changed; try again later\n")
                    : ApiGateway.error("conflict", "document", e.getMessage());
        }
        if (!proxy) {
            ObjectNode body = JSON.createObjectNode();
            return calendar.map(c -> body.put("content_type", ICalendarFeed.MEDIA_TYPE).put("calendar", c))
                    .orElseGet(() -> ApiGateway.error("not_found", "file", "no such feed"));
        }
        if (calendar.isEmpty()) {
            return plain(404, "no such feed\n");
        }
        ObjectNode response = plain(200, calendar.get());
        ((ObjectNode) response.get("headers")).put("content-type", ICalendarFeed.MEDIA_TYPE);
        return response;
    }

    private static ObjectNode plain(int status, String body) {
        ObjectNode response = JSON.createObjectNode();
        response.put("statusCode", status);
        ObjectNode headers = response.putObject("headers");
        headers.put("content-type", "text/plain; charset=utf-8");
        Map.of("cache-control", CACHE_CONTROL, "x-content-type-options", "nosniff").forEach(headers::put);
        response.put("body", body);
        response.put("isBase64Encoded", false);
        return response;
    }

    /** The calendar the file name opens, or empty (the same for every reason: nothing to tell a guesser). */
    Optional<String> calendar(String file) {
        return FeedSecrets.parse(file).flatMap(feeds::open)
                .flatMap(feed -> FeedCalendar.render(store.load(), feed.scope(), clock.instant()));
    }
}
