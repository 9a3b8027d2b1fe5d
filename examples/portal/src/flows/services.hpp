#pragma once
// What the flows work with: the stores over one database, the card proof verifier, the
// password hasher and the clock. Everything runs on the io thread.

#include <ctime>

#include "card/card_proofs.hpp"
#include "clock.hpp"
#include "security/password_hasher.hpp"
#include "store/cards.hpp"
#include "store/challenges.hpp"
#include "store/declarations.hpp"
#include "store/enterprises.hpp"
#include "store/lockouts.hpp"
#include "store/sessions.hpp"
#include "store/users.hpp"

namespace cardbridge::portal {

class Database;

struct Services {
    Services(Database& db, CardProofs proofs, PasswordHasher& hasher, Clock clock)
        : db(db),
          enterprises(db),
          users(db),
          cards(db),
          challenges(db),
          sessions(db),
          lockouts(db),
          declarations(db),
          proofs(std::move(proofs)),
          hasher(hasher),
          clock(std::move(clock)) {}

    std::time_t now() const { return clock(); }

    Database& db;
    EnterpriseStore enterprises;
    UserStore users;
    CardStore cards;
    ChallengeStore challenges;
    SessionStore sessions;
    LockoutStore lockouts;
    DeclarationStore declarations;
    CardProofs proofs;
    PasswordHasher& hasher;
    Clock clock;
};

}  // namespace cardbridge::portal
