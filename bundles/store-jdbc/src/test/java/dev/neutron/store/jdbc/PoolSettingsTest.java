package dev.neutron.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.zaxxer.hikari.HikariConfig;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The configuration as HikariCP gets it; no database needed. */
class PoolSettingsTest {
    /** A configuration as DS would give it: the defaults of {@link JdbcStoreConfig}, except the values given. */
    static JdbcStoreConfig config(Map<String, Object> values) {
        return (JdbcStoreConfig) Proxy.newProxyInstance(JdbcStoreConfig.class.getClassLoader(),
                new Class<?>[] {JdbcStoreConfig.class},
                (proxy, method, args) -> values.containsKey(method.getName()) ? values.get(method.getName())
                        : method.getDefaultValue());
    }

    @Test
    void theDefaultsAreAFixedPoolOfFourWithLifetimeAndLeakDetection() {
        PoolSettings settings = PoolSettings.from(config(Map.of()));
        assertEquals(new PoolSettings(4, Duration.ofSeconds(5), Duration.ofMinutes(30), Duration.ofSeconds(60)), settings);

        DataSource connections = new PostgresDriverDataSource(new org.postgresql.Driver(), "jdbc:postgresql://db/x",
                "", "", Duration.ofSeconds(5));
        HikariConfig hikari = settings.hikariConfig(connections);
        assertSame(connections, hikari.getDataSource());
        assertEquals("neutron-store-jdbc", hikari.getPoolName());
        assertEquals(4, hikari.getMaximumPoolSize());
        assertEquals(4, hikari.getMinimumIdle());
        assertEquals(5_500, hikari.getConnectionTimeout(), "the driver's connect timeout and a margin");
        assertEquals(2_000, hikari.getValidationTimeout());
        assertEquals(1_800_000, hikari.getMaxLifetime());
        assertEquals(60_000, hikari.getLeakDetectionThreshold());
        assertEquals(-1, hikari.getInitializationFailTimeout(), "a database that is down does not stop the start");
    }

    @ParameterizedTest(name = "poolSize={0} connectTimeoutSeconds={1} maxLifetimeSeconds={2} leakDetectionSeconds={3}")
    @CsvSource({
        // given                 -> size, connect s, lifetime s, leak s
        "0,   0,  0,    1,          1, 1, 30,   2",
        "100, 9,  600,  0,          64, 9, 600, 0",
        "8,   5,  60,   -5,         8, 5, 60,   0",
        "8,   5,  60,   600,        8, 5, 60,   59",
    })
    void bringsEachValueIntoTheRangeHikariAccepts(int poolSize, int connect, int lifetime, int leak,
            int size, int connectS, int lifetimeS, int leakS) {
        PoolSettings settings = PoolSettings.from(config(Map.of("poolSize", poolSize, "connectTimeoutSeconds", connect,
                "maxLifetimeSeconds", lifetime, "leakDetectionSeconds", leak)));
        assertEquals(new PoolSettings(size, Duration.ofSeconds(connectS), Duration.ofSeconds(lifetimeS),
                Duration.ofSeconds(leakS)), settings);
    }
}
