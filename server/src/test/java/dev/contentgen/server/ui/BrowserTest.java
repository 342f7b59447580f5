package dev.contentgen.server.ui;

import com.microsoft.playwright.Page;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.BrowserExtension;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What every browser test starts from: a node on a fresh data directory, its API, chromium, and clean-up. */
abstract class BrowserTest {
    @RegisterExtension
    static BrowserExtension browser = new BrowserExtension();

    @TempDir
    Path dir;
    Node node;
    Api api;
    /** A provider gate the test holds; opened after the test so the node can stop. */
    CountDownLatch gate;

    void startNode(ScriptedProvider provider) {
        startNode(provider, TestNodes.config(dir));
    }

    void startNode(ScriptedProvider provider, Config config) {
        node = new Node(config).provider(provider).start();
        api = new Api(TestNodes.uri(node));
    }

    /** A fresh page on the node's home page. */
    Page openHome() {
        Page page = browser.page();
        page.navigate(api.base().toString());
        return page;
    }

    @AfterEach
    void stopNode() {
        if (gate != null) {
            gate.countDown();
        }
        if (node != null) {
            node.close();
        }
    }
}
