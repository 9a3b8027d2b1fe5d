/*
 * libcardbridge-vpcd-loopback.so: preloaded into the demo's private pcscd only (scripts/demo.sh,
 * scripts/demo/pcscd.sh).
 *
 * Why: Debian 12's vpcd (vsmartcard 0.8) listens for its virtual cards on every interface
 * (bind to INADDR_ANY, no option to change it), which would make a reader holding a card
 * reachable from the network. Its reverse mode (vpcd connects to a listening card) avoids
 * that but aborts pcscd as soon as a card is removed ("bit out of range 0 - FD_SETSIZE"), and
 * a network namespace would cut pcscd off from udev's hot-plug events for real USB readers.
 * So the one bind() that matters is narrowed here: a wildcard IPv4/IPv6 address becomes the
 * loopback address. pcscd itself binds only its Unix socket, which is left alone.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

typedef int (*bind_fn)(int, const struct sockaddr *, socklen_t);

int bind(int fd, const struct sockaddr *address, socklen_t length) {
    static bind_fn real_bind;
    if (!real_bind) real_bind = (bind_fn)dlsym(RTLD_NEXT, "bind");
    if (address && address->sa_family == AF_INET && length >= sizeof(struct sockaddr_in)) {
        struct sockaddr_in v4;
        memcpy(&v4, address, sizeof v4);
        if (v4.sin_addr.s_addr == htonl(INADDR_ANY)) {
            v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            return real_bind(fd, (const struct sockaddr *)&v4, sizeof v4);
        }
    } else if (address && address->sa_family == AF_INET6 && length >= sizeof(struct sockaddr_in6)) {
        struct sockaddr_in6 v6;
        memcpy(&v6, address, sizeof v6);
        if (IN6_IS_ADDR_UNSPECIFIED(&v6.sin6_addr)) {
            v6.sin6_addr = in6addr_loopback;
            return real_bind(fd, (const struct sockaddr *)&v6, sizeof v6);
        }
    }
    return real_bind(fd, address, length);
}
