package io.tocsin.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextsTest {

    @Test
    void lineBreaksAndControlsBecomeOneSpaceAndTheWordsStay() {
        assertEquals("DB down Bcc: victim@example.com", Texts.singleLine("DB down\r\nBcc: victim@example.com"));
        assertEquals("a b c d e", Texts.singleLine("a\u0000b\u001B\u0085c\u2028d\u2029\te\n"));
        assertEquals("", Texts.singleLine(null));
    }

    @Test
    void bidiControlsAreRemovedAndLoneSurrogatesReplaced() {
        assertEquals("invoice gnp.exe", Texts.singleLine("invoice \u202Egnp.exe\u202C"));
        assertEquals("isolate", Texts.singleLine("\u2066isolate\u2069\u200E\u200F\u061C"));
        assertEquals("x\uFFFDy\uFFFD \uD83D\uDE00", Texts.singleLine("x\uD800y\uDC00 \uD83D\uDE00"));
    }

    @Test
    void cuttingNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00".repeat(10);
        String cut = Texts.cut(emoji, 6);
        assertTrue(cut.length() <= 6, cut);
        assertEquals("\uD83D\uDE00\uD83D\uDE00" + Texts.CUT_MARKER, cut);
        assertEquals("abc", Texts.cut("abc", 3));
        assertEquals(Texts.MAX_SUBJECT_CHARS, Texts.subject("s".repeat(5000)).length());
    }
}
