package dev.neutron.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcUrlsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://127.0.0.1:5432/neutron | jdbc:postgresql://127.0.0.1:5432/neutron",
        "jdbc:postgresql://db/neutron?password=s3cret | jdbc:postgresql://db/neutron",
        "jdbc:postgresql://db/neutron?user=n&password=s3cret&ssl=true | jdbc:postgresql://db/neutron?user=n&ssl=true",
        "jdbc:postgresql://db/neutron?PASSWORD=s3cret&sslpassword=k3y | jdbc:postgresql://db/neutron",
        "jdbc:postgresql://n:s3cret@db:5432/neutron | jdbc:postgresql://n@db:5432/neutron",
    })
    void showsUrlsWithoutTheirPassword(String url, String shown) {
        assertEquals(shown, JdbcUrls.redact(url));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://n:s3cret@db:5432/neutron | true",
        "jdbc:postgresql://n@db/neutron | true",
        "jdbc:postgresql://db:5432/neutron?user=n&password=a@b | false",
        "jdbc:postgresql://db/neutron | false",
        "jdbc:postgresql:local | false",
    })
    void findsAUserNameOrPasswordBeforeTheHost(String url, boolean userInfo) {
        assertEquals(userInfo, JdbcUrls.hasUserInfo(url));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://127.0.0.1:5432/neutron | neutron",
        "jdbc:postgresql://db/chats?ssl=true | chats",
        "jdbc:postgresql:local | local",
    })
    void findsTheDatabaseName(String url, String name) {
        assertEquals(name, JdbcUrls.databaseName(url));
    }
}
