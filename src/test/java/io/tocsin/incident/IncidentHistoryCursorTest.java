package io.tocsin.incident;

import static io.tocsin.store.Attr.s;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tocsin.store.TableSchema;

/**
 * The {@code /incidents} cursor carries the day a page ended on, which comes back from the caller: a day outside the
 * request's range is refused before any read (without the check a cursor for a far day cost one Query per day up to
 * it). No DynamoDB client is given: a read would fail with another exception.
 */
class IncidentHistoryCursorTest {

    private static final IncidentHistory HISTORY = new IncidentHistory(null, null, null, java.time.Clock.systemUTC());
    private static final IncidentHistory.Filter WEEK = new IncidentHistory.Filter(Set.of(), null, null,
            Instant.parse("2027-03-01T00:00:00Z"), Instant.parse("2027-03-08T00:00:00Z"), 50);

    private static String cursorFor(String day) {
        return new IncidentHistory.Cursor(LocalDate.parse(day), Map.of(TableSchema.GSI_CREATED_SK,
                s(day + "T10:00:00.000Z#3f0c"))).encode();
    }

    @Test
    void aCursorForADayAfterTheRangeIsRefusedBeforeAnyRead() {
        var refused = assertThrows(IncidentHistory.BadCursor.class,
                () -> HISTORY.list(WEEK, cursorFor("2999-12-31")));
        assertTrue(refused.getMessage().contains("outside the range 2027-03-01 to 2027-03-08"), refused.getMessage());
        assertThrows(IncidentHistory.BadCursor.class, () -> HISTORY.list(WEEK, cursorFor("2027-03-09")));
    }

    @Test
    void aCursorForADayBeforeTheRangeIsRefused() {
        assertThrows(IncidentHistory.BadCursor.class, () -> HISTORY.list(WEEK, cursorFor("2027-02-28")));
    }
}
