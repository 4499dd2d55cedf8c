package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jinference.launcher.rest.RestSecurity;
import io.jinference.security.AccessPolicy;
import io.jinference.security.ApiKeyFile;
import io.jinference.security.ApiKeys;
import io.jinference.security.Role;
import io.jinference.template.ChatTemplateRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console at {@code /ui} in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * driven by Selenium) against a real server with API keys: the engines and their reasons for SmolLM2 on this host
 * and on {@code linux-x86_64-cuda}; launching SmolLM2 from the form; a streamed chat that answers Paris; terminating
 * it; uploading and removing the ONNX example engine bundle; a registration added from JSON and the validator's
 * refusal of another; and a wrong API key shown as an error. Screenshots go to
 * {@code target/console-screenshots/}. Without {@code /usr/bin/chromedriver} the test is skipped, except on CI
 * ({@code CI=true}), where it fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration LAUNCH = Duration.ofMinutes(3);

    @TempDir
    static Path home;
    static JinferenceServer server;
    static WebDriver browser;
    static String adminKey;
    static String base;

    @BeforeAll
    static void start() throws IOException {
        if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
            String why = "The browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                    + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        String llamaServer = System.getProperty(LlamaServerBinary.PROPERTY, "");
        if (!llamaServer.isBlank() && !llamaServer.startsWith("${")) {
            System.setProperty("jinference.llamacpp.server", llamaServer);
        }
        ApiKeyFile keys = new ApiKeyFile(home.resolve("api-keys.json"));
        adminKey = keys.create(Role.ADMIN, List.of());
        Distribution distribution = new Distribution(Path.of(System.getProperty("jinference.dist")));
        RestSecurity security = RestSecurity.open().withAccess(new AccessPolicy(new ApiKeys(keys), false));
        server = JinferenceServer.start(home, distribution.bundleFolders(home), "127.0.0.1", 0, null,
                new ChatTemplateRenderer()::render, security, false);
        base = "http://127.0.0.1:" + server.port();
        Files.createDirectories(SCREENSHOTS);
        browser = chromium();
    }

    /**
     * Headless Chromium in a fresh profile; the background-networking flags keep it from calling home, which on a
     * machine without internet makes it hang.
     */
    private static WebDriver chromium() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--user-data-dir=" + Files.createTempDirectory(home, "chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        System.clearProperty("jinference.llamacpp.server");
    }

    @Test
    @Order(1)
    void theEnginesAndTheirReasonsForSmolLm2OnThisHostAndOnACudaHost() {
        open("engines");
        useKey(adminKey);
        waitFor(By.cssSelector("#engines-table tr.engine"));
        assertThat(text(By.id("engines-table"))).contains("llama.cpp").contains("vLLM");

        explain("");
        assertThat(text(By.id("explain-choice"))).contains("On this host: llama.cpp");
        WebElement vllmHere = candidate("vLLM");
        assertThat(vllmHere.findElement(By.cssSelector("td.no")).getText()).isEqualTo("no");
        assertThat(vllmHere.findElement(By.className("reasons")).getText()).isNotBlank();
        screenshot("engines-this-host");

        explain("linux-x86_64-cuda");
        assertThat(text(By.id("explain-choice"))).contains("On linux-x86_64-cuda:");
        assertThat(text(By.id("explain-candidates"))).contains("llama.cpp");
        screenshot("engines-cuda-host");
    }

    @Test
    @Order(2)
    void launchSmolLm2FromTheForm() {
        open("models");
        WebElement model = waitFor(By.id("launch-model"));
        model.clear();
        model.sendKeys("smollm2-instruct");
        browser.findElement(By.id("launch-choices")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver ->
                new Select(driver.findElement(By.id("launch-engine"))).getOptions().size() > 1);
        new Select(browser.findElement(By.id("launch-engine"))).selectByValue("llama.cpp");
        new Select(browser.findElement(By.id("launch-format"))).selectByValue("ggufv2");
        new Select(browser.findElement(By.id("launch-quantization"))).selectByValue("Q4_1");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("launch-why"), "The registry would launch llama.cpp"));
        browser.findElement(By.id("launch-uid")).sendKeys("smol-ui");
        browser.findElement(By.id("launch-path")).sendKeys(SmolLm2ChatTest.smolLm2().toString());
        browser.findElement(By.id("launch-button")).click();
        new WebDriverWait(browser, LAUNCH).until(ExpectedConditions.presenceOfElementLocated(By.id("launch-ready")));
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("tr.running-model[data-uid='smol-ui'] .model-state"), "ready"));
        screenshot("models-launched");
    }

    @Test
    @Order(3)
    void chatStreamsTokensThatSayParis() {
        open("chat");
        new Select(waitFor(By.id("chat-model"))).selectByValue("smol-ui");
        browser.findElement(By.id("chat-send")).click();
        new WebDriverWait(browser, Duration.ofMinutes(2)).until(ExpectedConditions.attributeToBe(
                By.id("chat-output"), "data-done", "true"));
        assertThat(text(By.id("chat-output"))).contains("Paris");
        assertThat(text(By.id("chat-speed"))).contains("tok/s");
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        screenshot("chat");
    }

    @Test
    @Order(4)
    void theLogTailShowsAndTerminateEndsTheModel() {
        open("models");
        waitFor(By.cssSelector("tr.running-model[data-uid='smol-ui']"));
        click(By.cssSelector("tr.running-model[data-uid='smol-ui'] button.show-log"));
        assertThat(text(By.cssSelector("#model-log pre.log"))).isNotBlank();
        click(By.cssSelector("tr.running-model[data-uid='smol-ui'] button.terminate"));
        waitFor(By.id("no-models"));
        screenshot("models-terminated");
    }

    @Test
    @Order(5)
    void uploadAndRemoveTheOnnxExampleBundle() throws IOException {
        Path jar = onnxBundle();
        open("bundles");
        waitFor(By.cssSelector("#bundles-table tr.bundle"));
        browser.findElement(By.id("bundle-file")).sendKeys(jar.toAbsolutePath().toString());
        browser.findElement(By.id("bundle-install-button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("bundle-outcome"), "Installed io.jinference.examples.engine.onnx"));
        By onnxRow = By.cssSelector("tr.bundle[data-name='io.jinference.examples.engine.onnx']");
        waitFor(onnxRow);
        screenshot("bundles-installed");
        browser.findElement(onnxRow).findElement(By.className("bundle-remove")).click();
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("bundle-outcome"), "Removed io.jinference.examples.engine.onnx"));
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.numberOfElementsToBe(onnxRow, 0));
    }

    @Test
    @Order(6)
    void aRegistrationIsAddedFromJsonAndTheValidatorsErrorIsShown() {
        open("registrations");
        browser.findElement(By.id("registration-add")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("registration-outcome"), "Registered my-smollm2"));
        waitFor(By.cssSelector("#registrations li.registration"));
        WebElement json = browser.findElement(By.id("registration-json"));
        json.clear();
        json.sendKeys("{\"version\": 2, \"model_name\": \"qwen3\", \"model_ability\": [\"chat\"], "
                + "\"model_specs\": [{\"model_format\": \"ggufv2\", \"model_size_in_billions\": 1, "
                + "\"quantization\": \"q4_0\"}]}");
        browser.findElement(By.id("registration-add")).click();
        WebElement error = new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(error.getText()).contains("HTTP 400").contains("qwen3");
        screenshot("registrations");
    }

    @Test
    @Order(7)
    void aWrongApiKeyIsShownAsAnError() {
        open("engines");
        useKey("not-a-key");
        WebElement error = new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(error.getText()).contains("HTTP 401");
        screenshot("wrong-key");
        useKey(adminKey);
    }

    /** The example bundle the reactor built (examples/engine-onnx), copied so that its name is the upload's. */
    private static Path onnxBundle() throws IOException {
        Path built = Path.of(System.getProperty("jinference.test.onnxBundle"));
        assertThat(built).as("examples/engine-onnx must be built before the launcher's tests").isRegularFile();
        return Files.copy(built, home.resolve("engine-onnx.jar"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void open(String page) {
        browser.get(base + "/ui#" + page);
        browser.navigate().refresh();
    }

    private static void useKey(String key) {
        WebElement field = waitFor(By.id("api-key"));
        field.clear();
        field.sendKeys(key);
        browser.findElement(By.id("api-key-save")).click();
    }

    private static void explain(String profile) {
        new Select(browser.findElement(By.id("explain-profile"))).selectByValue(profile);
        browser.findElement(By.id("explain-button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("explain-choice"), profile.isEmpty() ? "this host" : profile));
    }

    private static WebElement candidate(String engine) {
        return browser.findElements(By.cssSelector("#explain-candidates tr.candidate")).stream()
                .filter(row -> row.getAttribute("data-engine").equals(engine)).findFirst()
                .orElseThrow(() -> new AssertionError("no candidate row for " + engine));
    }

    /** The running models table is redrawn every two seconds: a click that lands on a replaced row is retried. */
    private static void click(By locator) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
                .until(driver -> {
                    driver.findElement(locator).click();
                    return true;
                });
    }

    private static WebElement waitFor(By locator) {
        return new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private static String text(By locator) {
        return waitFor(locator).getText();
    }

    private static void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
