/**
 * The api bench's baseline for the HTTP framework: a Nest application with one route, on the same adapter as the
 * api (BENCH_HELLO_ADAPTER=express|fastify), in its own process. Prints "listening <port>" when ready.
 */
import 'reflect-metadata';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { NestFactory } from '@nestjs/core';

@Controller()
class HelloController {
  @Get('hello')
  hello(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [HelloController] })
class HelloModule {}

async function main(): Promise<void> {
  const adapter = process.env.BENCH_HELLO_ADAPTER ?? 'express';
  let app: INestApplication;
  if (adapter === 'fastify') {
    // resolved at run time: the adapter is a dependency only once the api runs on Fastify
    const name = '@nestjs/platform-fastify';
    const { FastifyAdapter } = (await import(name)) as { FastifyAdapter: new () => AbstractHttpAdapter };
    app = await NestFactory.create(HelloModule, new FastifyAdapter(), { logger: false });
  } else {
    app = await NestFactory.create(HelloModule, { logger: false });
  }
  await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  console.log(`listening ${process.env.PORT} ${adapter}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
