// Booting Strapi on a fresh database takes seconds; Jest's 5 s default is too short for hooks.
jest.setTimeout(Number(process.env.TEST_TIMEOUT_MS || 180000));
