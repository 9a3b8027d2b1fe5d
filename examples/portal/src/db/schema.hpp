#pragma once

namespace cardbridge::portal {

class Database;

/// Creates the tables and indexes that do not exist yet.
void create_schema(Database& db);

}  // namespace cardbridge::portal
