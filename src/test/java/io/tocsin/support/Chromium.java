package io.tocsin.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Debian's headless Chromium driven by Selenium through Debian's {@code chromium-driver} (both installed by the build
 * when missing: pom profile {@code install-chromium}, {@code infra/chromium/install.sh}): open a page, navigate,
 * evaluate JavaScript, take a full-page screenshot. Selenium Manager is not used: both binaries are given.
 */
public final class Chromium implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** Every wait on Chromium (a page load, a script) ends after this with a failure naming what hung. */
    public static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChromeDriver driver;
    private final Path userDataDir;

    private Chromium(ChromeDriver driver, Path userDataDir) {
        this.driver = driver;
        this.userDataDir = userDataDir;
    }

    /** Starts headless Chromium with a new profile. */
    public static Chromium launch() throws Exception {
        if (!Files.isExecutable(BINARY) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException(BINARY + " or " + DRIVER + " is missing: the dashboard browser test needs "
                    + "Debian's chromium and chromium-driver. `./mvnw verify` installs them (profile install-chromium); "
                    + "by hand: sh infra/chromium/install.sh or sudo apt-get install -y chromium chromium-driver");
        }
        Path userDataDir = Files.createTempDirectory("tocsin-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(BINARY.toFile()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--window-size=1280,1800", "--user-data-dir=" + userDataDir);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withLogFile(userDataDir.resolve("chromedriver.log").toFile()).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
        return new Chromium(driver, userDataDir);
    }

    public Page newPage() {
        return new Page();
    }

    @Override
    public void close() {
        driver.quit();
        deleteTree(userDataDir.toFile());
    }

    private static void deleteTree(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            for (File child : children) {
                deleteTree(child);
            }
        }
        file.delete(); // a temporary profile left behind is harmless
    }

    /** The browser's one tab. */
    public final class Page {

        /** Loads {@code url}; returns once it has loaded. */
        public void navigate(String url) {
            driver.get(url);
        }

        /** Runs {@code script} (which makes the page navigate, e.g. submits a form) and waits for the new page. */
        public void runAndWaitForLoad(String script) {
            WebElement old = driver.findElement(By.tagName("html"));
            driver.executeScript(script);
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            wait.until(ExpectedConditions.stalenessOf(old));
            wait.until(d -> "complete".equals(((ChromeDriver) d).executeScript("return document.readyState")));
        }

        /** Evaluates a JavaScript expression in the page and returns its value as JSON; a thrown error fails. */
        public JsonNode evaluate(String expression) {
            try {
                return JSON.valueToTree(driver.executeScript("return " + expression.strip() + ";"));
            } catch (JavascriptException e) {
                throw new AssertionError("JavaScript failed: " + expression, e);
            }
        }

        /**
         * Lays pages out as a device {@code width} × {@code height} CSS pixels wide (DevTools'
         * Emulation.setDeviceMetricsOverride); {@code mobile}: as a phone, which honours the page's viewport
         * declaration (without one a phone lays the page out 980 px wide).
         */
        public void emulate(int width, int height, boolean mobile) {
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                    "deviceScaleFactor", 1, "mobile", mobile, "screenWidth", width, "screenHeight", height));
        }

        /** {@code prefers-color-scheme}: dark or light (DevTools' Emulation.setEmulatedMedia). */
        public void colorScheme(String scheme) {
            driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                    java.util.List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
        }

        /**
         * Runs axe-core ({@code script}: the text of axe.min.js) on the page and returns its violations as JSON: an
         * array of {@code {id, impact, help, nodes: [target…]}}.
         */
        public JsonNode axe(String script, String... tags) {
            driver.executeScript(script);
            Object result = driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    axe.run(document, { runOnly: { type: 'tag', values: arguments[0] } })
                      .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary) }))))
                      .catch(e => done({ error: String(e) }));
                    """, java.util.List.of(tags));
            JsonNode json = JSON.valueToTree(result);
            if (json.has("error")) {
                throw new AssertionError("axe-core failed: " + json.path("error").asText());
            }
            return json;
        }

        /** A PNG of what the window shows (the first screen of a phone). */
        public byte[] viewportScreenshot() {
            return Base64.getDecoder().decode((String) driver.executeCdpCommand("Page.captureScreenshot",
                    Map.of("format", "png")).get("data"));
        }

        /** A PNG of the whole page, beyond the window's height (DevTools' Page.captureScreenshot through the driver). */
        public byte[] screenshot() {
            @SuppressWarnings("unchecked")
            Map<String, Object> metrics = (Map<String, Object>) driver.executeCdpCommand("Page.getLayoutMetrics",
                    Map.of()).get("cssContentSize");
            double width = ((Number) metrics.get("width")).doubleValue();
            // the content's own height: cssContentSize is at least the viewport, which may be taller than the page
            double height = evaluate("Math.ceil(document.body.getBoundingClientRect().height)").asDouble();
            Map<String, Object> params = Map.of("format", "png", "captureBeyondViewport", true, "clip",
                    Map.of("x", 0, "y", 0, "width", width, "height",
                            height > 0 ? height : ((Number) metrics.get("height")).doubleValue(), "scale", 1));
            return Base64.getDecoder().decode((String) driver.executeCdpCommand("Page.captureScreenshot", params)
                    .get("data"));
        }
    }
}
