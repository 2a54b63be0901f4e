package io.tocsin.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.junit.jupiter.api.Test;

/** The summary links an unresolved incident to the dashboard's page of that incident. */
class IncidentPageLinkTest {

    @Test
    void addsTheIncidentAsAQueryParameter() {
        assertEquals("https://tocsin.example.com/dashboard?incident=3f0c-9b21",
                DailySummary.incidentPage(URI.create("https://tocsin.example.com/dashboard"), "3f0c-9b21"));
    }

    @Test
    void keepsAQueryTheUrlAlreadyHas() {
        assertEquals("https://x.example/prod/dashboard?team=db&incident=3f0c",
                DailySummary.incidentPage(URI.create("https://x.example/prod/dashboard?team=db"), "3f0c"));
    }

    @Test
    void encodesWhatAnIdCouldCarry() {
        assertEquals("https://x.example/dashboard?incident=a+b%26c",
                DailySummary.incidentPage(URI.create("https://x.example/dashboard"), "a b&c"));
    }
}
